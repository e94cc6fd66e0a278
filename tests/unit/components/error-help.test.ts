import { afterEach, describe, expect, it } from 'vitest';
import { errorHeading, errorHelp, setLocale } from '../../../components/i18n';

afterEach(() => setLocale('en'));

describe('PDF errors in the UI language', () => {
  it('keep the English message (with its details) in English, and explain it in Chinese', () => {
    setLocale('en');
    expect(errorHeading('pdf_scanned')).toBe('This PDF has no text to read');
    expect(errorHelp('pdf_scanned')).toBeUndefined();
    setLocale('zh_CN');
    expect(errorHeading('pdf_password')).toBe('这个 PDF 受密码保护');
    expect(errorHelp('pdf_scanned')).toContain('OCR');
    expect(errorHelp('file_access')).toContain('允许访问文件网址');
    // Kinds without words of their own keep the message.
    expect(errorHelp('auth')).toBeUndefined();
  });
});
