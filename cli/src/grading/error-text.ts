/**
 * The one line of a tslab error report a student needs: tslab prints the failing source
 * line, a caret, a blank line, then `Name: message` and the stack; type errors come as
 * `line:col - message`.
 */
const ERROR_LINE = /^(?:[A-Za-z_$][\w$]*)?(?:Error|Exception)(?:\s*\[[^\]]*\])?: .*/;
const COMPILE_LINE = /^\d+:\d+ - .+/;

export function firstErrorLine(text: string | undefined, max = 400): string {
  if (!text) return '';
  const lines = text.split('\n').map((l) => l.trimEnd());
  const thrown = lines.find((l) => ERROR_LINE.test(l.trim()));
  let line: string;
  if (thrown) line = thrown.trim();
  else {
    const compile = lines.filter((l) => COMPILE_LINE.test(l.trim()));
    if (compile.length) line = `TypeScript error at ${compile.map((l) => l.trim()).join('; ')}`;
    else line = lines.map((l) => l.trim()).filter((l) => l !== '').slice(-1)[0] ?? '';
  }
  return line.length > max ? line.slice(0, max - 3) + '...' : line;
}
