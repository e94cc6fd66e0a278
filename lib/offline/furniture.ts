// Site furniture that reaches the text when a page is read whole rather than as an article:
// cookie banners, copyright lines, newsletter and share prompts. Ranking alone mostly leaves them
// out (they share few words with the page), but a short one that happens to name the site's topic
// ("© 2024 Valley Reporter") can score well, so the commonest are ruled out by name.

const patterns: RegExp[] = [
  /all rights reserved|^\s*(?:©|\(c\)|copyright\b)/i,
  /\bcookies?\b.*\b(?:agree|accept|consent|policy|settings|preferences)\b/i,
  /\b(?:subscribe|sign up)\b.*\b(?:newsletter|inbox|updates)\b/i,
  /\b(?:share|follow us)\b.*\b(?:facebook|twitter|linkedin|whatsapp|instagram|email)\b/i,
  /^\s*(?:related|read more|see also|advertisement|click here)\b/i,
  /版权所有|未经.{0,6}(?:许可|授权).{0,6}转载|转载请注明|^\s*责任编辑|公众号|扫码|点击(?:查看|阅读|进入)|^\s*(?:相关阅读|延伸阅读|广告)/,
];

export function isFurniture(sentence: string): boolean {
  return patterns.some((p) => p.test(sentence));
}
