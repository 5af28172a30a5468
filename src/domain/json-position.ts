// Where a JSON text stops being JSON: JSON.parse says what went wrong but, on some inputs, not where. Used only
// after JSON.parse failed, to name the line and column in the message. Linear, and iterative (no recursion), so
// deeply nested input cannot overflow the stack.

export type JsonFault = { offset: number; reason: string };

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters.
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The first fault of a JSON text, or null when it is valid JSON. */
export function findJsonFault(text: string): JsonFault | null {
  let i = 0;
  /** What each open container expects next. */
  const stack: ('array-first' | 'array-next' | 'object-first' | 'object-next')[] = [];
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };
  const fault = (reason: string): JsonFault => ({
    offset: i,
    reason: i >= text.length ? 'unexpected end of the file' : `${reason}, found ${JSON.stringify(text[i])}`,
  });
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    STRING_BODY.lastIndex = i + 1;
    if (!STRING_BODY.test(text)) return false;
    i = STRING_BODY.lastIndex;
    return true;
  };
  for (;;) {
    // A value.
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      skip();
      if (c === '[' && text[i] === ']') i++;
      else if (c === '{' && text[i] === '}') i++;
      else if (c === '[') {
        stack.push('array-next');
        continue;
      } else {
        if (!string()) return fault('expected a quoted key');
        skip();
        if (text[i] !== ':') return fault("expected ':'");
        i++;
        stack.push('object-next');
        continue;
      }
    } else if (c === '"') {
      if (!string()) return fault('unterminated or invalid string');
    } else if (c !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return fault('invalid number');
      i = NUMBER.lastIndex;
    } else {
      const literal = LITERALS.find((word) => text.startsWith(word, i));
      if (!literal) return fault('expected a value');
      i += literal.length;
    }
    // After a value: close containers or go on to the next element.
    for (;;) {
      skip();
      const top = stack.at(-1);
      if (!top) {
        return i < text.length ? fault('expected the end of the file') : null;
      }
      if (text[i] === ',') {
        i++;
        if (top === 'object-next' || top === 'object-first') {
          skip();
          if (!string()) return fault('expected a quoted key');
          skip();
          if (text[i] !== ':') return fault("expected ':'");
          i++;
        }
        break;
      }
      if ((top === 'array-next' && text[i] === ']') || (top === 'object-next' && text[i] === '}')) {
        i++;
        stack.pop();
        continue;
      }
      return fault(top === 'array-next' ? "expected ',' or ']'" : "expected ',' or '}'");
    }
  }
}
