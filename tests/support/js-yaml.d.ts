// The one function the tests use from js-yaml (which ships no types): parsing exported front matter.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
