// Words that say nothing about what a page is about. Small on purpose: TF-IDF already discounts
// words that are everywhere on the page; these lists only remove the grammar that would otherwise
// make every pair of sentences look alike.

export const englishStopWords = new Set(
  `a about above after again against all also although am an and any are aren't around as at be because
been before being below between both but by can can't cannot could couldn't did didn't do does doesn't
doing don't down during each either else even ever every few for from further get gets got had hadn't has
hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's however
i i'd i'll i'm i've if in into is isn't it it's its itself just let's like made make makes many may me might
more most much must mustn't my myself neither never no nor not now of off often on once one only or other
others otherwise ought our ours ourselves out over own per perhaps quite rather really said same say says
shall shan't she she'd she'll she's should shouldn't since so some still such than that that's the their
theirs them themselves then there there's these they they'd they'll they're they've this those though
through thus to too toward towards under until up upon us very via was wasn't we we'd we'll we're we've
well were weren't what what's whatever when when's where where's whether which while who who's whom whose
why why's will with within without won't would wouldn't yet you you'd you'll you're you've your yours
yourself yourselves`.split(/\s+/),
);

export const chineseStopWords = new Set(
  `的 了 和 与 及 或 是 在 也 就 都 而 着 被 把 对 从 向 以 为 于 之 其 这 那 个 们 吗 呢 吧 啊 呀 么 得 地
很 还 又 再 更 最 并 且 则 即 但 却 将 会 能 要 可 不 没 有 让 给 等 上 下 中 内 里 后 前 时 来 去 说 到 已 该 各
一个 一些 一种 这个 那个 这些 那些 这样 那样 这种 那种 这里 那里 我们 你们 他们 她们 它们 我 你 他 她 它 自己
没有 不是 就是 也是 还是 但是 而且 并且 因为 所以 如果 虽然 可以 可能 已经 进行 通过 以及 其中 什么 怎么
如何 为了 对于 关于 此外 另外 同时 目前 以上 以下 之一 之后 之前 由于 因此 然而 不过 只是 并不 一直 正在`.split(/\s+/),
);

/**
 * Ideographs that are almost only grammar, where bigram tokenising (no Intl.Segmenter) cuts a run of
 * Han. Not every one-character stop word: 中, 上 and 会 also begin 中国, 上海 and 会议.
 */
export const chineseStopChars = new Set([...'的了和与及或是在也就都而着被把之其这那们吗呢吧啊呀么很还又并且则即但却将']);
