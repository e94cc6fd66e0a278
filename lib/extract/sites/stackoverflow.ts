// Stack Overflow and the other Stack Exchange sites: the question, then each answer (accepted
// first as the site shows it, with its score), each with its comments as replies.
import { clean, renderThread, textOf, type Post, type SiteReading } from './thread';

function comments(post: Element): Post[] {
  return Array.from(post.querySelectorAll('.comments .comment, li.comment')).map((c) => ({
    author: clean(c.querySelector('.comment-user')?.textContent),
    score: clean(c.querySelector('.comment-score')?.textContent),
    time: clean(c.querySelector('.relativetime-clean, .comment-date span[title]')?.getAttribute('title'))?.slice(0, 10),
    text: clean(c.querySelector('.comment-copy')?.textContent) ?? '',
    replies: [],
  }));
}

function author(post: Element): string | undefined {
  // The owner's signature is the last; an earlier one names who edited the post.
  const signatures = Array.from(post.querySelectorAll('.post-signature'));
  const owner = post.querySelector('.post-signature.owner') ?? signatures[signatures.length - 1];
  return clean(owner?.querySelector('.user-details a, .user-details [itemprop="name"], .user-details')?.textContent?.split('\n')[0]);
}

function votes(post: Element): string | undefined {
  const count = post.querySelector('.js-vote-count');
  const n = clean(count?.getAttribute('data-value') ?? count?.textContent);
  return n ? `${n} vote${n === '1' || n === '-1' ? '' : 's'}` : undefined;
}

function postOf(el: Element, label?: string): Post {
  return {
    author: author(el),
    score: votes(el),
    time: el.querySelector('.post-signature.owner time, .user-action-time .relativetime')?.getAttribute('datetime')?.slice(0, 10) ??
      clean(el.querySelector('.post-signature.owner .relativetime, .user-action-time .relativetime')?.getAttribute('title'))?.slice(0, 10),
    label,
    text: textOf(el.querySelector('.js-post-body, .s-prose, .post-text')),
    replies: comments(el),
  };
}

export function readStackExchange(doc: Document): SiteReading | null {
  const question = doc.querySelector('#question, .question');
  if (!question) return null;
  const title = clean(doc.querySelector('#question-header h1, h1[itemprop="name"], h1')?.textContent) ?? clean(doc.title) ?? '';
  const q = postOf(question, 'question');
  const answers = Array.from(doc.querySelectorAll('#answers .answer, .answer[data-answerid]')).map((a) =>
    postOf(a, a.classList.contains('accepted-answer') || a.querySelector('.js-accepted-answer-indicator:not(.d-none)') ? 'accepted answer' : 'answer'),
  );
  // Comments on the question go with it, before the answers.
  const questionComments = q.replies;
  const top: Post = { ...q, replies: [] };
  const text = [
    renderThread(title, top, questionComments, 'Comments on the question'),
    answers.length ? renderThread('', undefined, answers, 'Answers').replace(/^## Answers \(\d+\)/, `## Answers (${answers.length})`) : '',
  ].filter(Boolean).join('\n\n');
  return { title, text, byline: q.author, siteName: clean(doc.querySelector('meta[property="og:site_name"]')?.getAttribute('content')) ?? 'Stack Overflow' };
}
