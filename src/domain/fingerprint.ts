// A bug report's fingerprint: the same crash reported twice, in other words or after a deploy, gets the same one.
// Like Sentry's and PostHog's grouping, it keys on a stack trace when the text has one (the exception type plus the
// function and module of the application's own frames) and otherwise on the normalised error message plus the
// component and route. Numbers, ids, addresses, line numbers, temp paths and deploy roots never count, and a report
// without that much signal (a bare title, prose) gets no fingerprint at all.
//
// Everything here is linear in the text and bounded: the text is cut to MAX_TEXT characters, each line is read only
// up to MAX_LINE characters, and at most MAX_FRAMES frames per exception are kept. No regex here has nested
// quantifiers, and every regex runs on one capped line.
import { createHash } from 'node:crypto';

/** Bumped whenever the rules change, so fingerprints of different rule sets never match each other. */
export const FINGERPRINT_VERSION = 'v1';

/** Slack messages are at most 40,000 characters; imported descriptions may be longer, and their tail adds nothing. */
export const MAX_TEXT = 50_000;
const MAX_LINE = 512;
const MAX_FRAMES = 64;
const MAX_BLOCKS = 16;
/** Application frames in a signature, nearest the throw first. Enough to tell callers apart, few enough to survive a
 * trace cut short by a log line limit or by Node's 10-frame default. */
export const SIGNATURE_FRAMES = 5;
const MAX_MESSAGE = 200;
const MAX_LINK = 2_000;

export type FingerprintBasis = 'stack' | 'message';

export type ReportFingerprint = {
  /** `v1:` and the sha256 hex of the signature: what a dedup table stores and matches on. */
  fingerprint: string;
  basis: FingerprintBasis;
  /** The normalised text that was hashed, readable, for logs and for explaining a grouping to a person. */
  signature: string;
};

/** A report's fingerprint, or null when its text has too little signal to group on. Pure and deterministic. */
export function fingerprintReport(report: { title: string; description: string }): ReportFingerprint | null {
  const text = `${report.title}\n${report.description}`.slice(0, MAX_TEXT);
  const lines = readLines(slackToPlain(text));
  const stack = stackSignature(lines);
  if (stack) return withHash('stack', stack);
  const message = messageSignature(lines);
  return message ? withHash('message', message) : null;
}

function withHash(basis: FingerprintBasis, signature: string): ReportFingerprint {
  const hex = createHash('sha256').update(`${basis}\n${signature}`).digest('hex');
  return { fingerprint: `${FINGERPRINT_VERSION}:${hex}`, basis, signature };
}

// ---------------------------------------------------------------------------------------------------------------
// Text as pasted through Slack

/**
 * Slack's message text to what the person pasted: code fences become line breaks, `<url|label>` shows its label,
 * `<url>` its url, and `&lt;` `&gt;` `&amp;` their characters. Angle brackets that are not Slack links (`<anonymous>`,
 * `<module>`, `<init>`, typed raw into a modal) stay, so a trace pasted in a channel and one typed into the form read
 * the same.
 */
function slackToPlain(text: string): string {
  const parts: string[] = [];
  let copied = 0; // text before this index is in parts already
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<', i);
    if (open === -1) break;
    // The scan stops at the next '<', so a run of '<' is read once, not once per '<'.
    const limit = Math.min(text.length, open + 1 + MAX_LINK);
    let close = open + 1;
    while (close < limit) {
      const c = text.charCodeAt(close);
      if (c === 62 || c === 60 || c === 10) break; // '>' '<' '\n'
      close++;
    }
    if (close < limit && text.charCodeAt(close) === 62 && isSlackLink(text.slice(open + 1, close))) {
      parts.push(text.slice(copied, open), renderSlackLink(text.slice(open + 1, close)));
      copied = close + 1;
      i = close + 1;
    } else {
      i = close > open + 1 && close < text.length && text.charCodeAt(close) === 60 ? close : open + 1;
    }
  }
  parts.push(text.slice(copied));
  return parts
    .join('')
    .replaceAll('```', '\n')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

const LINK_SCHEME = /^[a-z][a-z0-9+.-]{0,15}:/i;

function isSlackLink(body: string): boolean {
  const first = body.charCodeAt(0);
  return first === 64 || first === 35 || first === 33 || LINK_SCHEME.test(body); // '@' '#' '!' or a scheme
}

function renderSlackLink(body: string): string {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(bar + 1);
  if (bar !== -1 && body.startsWith('#')) return `#${target}`;
  if (bar !== -1 && body.startsWith('@')) return `@${target}`;
  if (bar === -1 && body.startsWith('!')) return `@${body.slice(1)}`;
  return target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
}

type Line = { text: string; indent: number };

/** Lines cut to MAX_LINE, trimmed, without Slack's quote marks, with how far each was indented (tab or space). */
function readLines(text: string): Line[] {
  return text.split('\n').map((raw) => {
    const capped = raw.slice(0, MAX_LINE);
    let line = capped.trim();
    const indent = line === '' ? 0 : capped.indexOf(line.charAt(0));
    let start = 0;
    while (start < line.length && line.charCodeAt(start) === 62) start++; // '>'
    if (start > 0) line = line.slice(start).trim();
    return { text: line, indent };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Stack traces

type Lang = 'js' | 'java' | 'python' | 'go';
type Frame = { key: string; app: boolean };
type Block = { lang: Lang; type: string | null; frames: Frame[]; chained: boolean };
type Header = { type: string; message: string };

function stackSignature(lines: readonly Line[]): string | null {
  const blocks = parseBlocks(lines);
  const chain = primaryChain(blocks);
  if (!chain) return null;
  const first = chain[0];
  if (!first) return null;
  // Java prints the outermost exception first and its causes after; Python prints the cause first. Either way the
  // root cause says where it went wrong, and its frames come first; outer exceptions lend theirs if it has none.
  const fromRoot = first.lang === 'java' ? [...chain].reverse() : chain;
  const type = fromRoot.find((block) => block.type)?.type ?? null;
  let frames: Frame[] = [];
  for (const block of fromRoot) {
    frames = throwPointFirst(block).filter((frame) => frame.app);
    if (frames.length > 0) break;
  }
  const appFrames = frames.length > 0;
  // Only dependency and runtime frames: they are what there is.
  if (!appFrames) {
    const withFrames = fromRoot.find((block) => block.frames.length > 0);
    frames = withFrames ? throwPointFirst(withFrames) : [];
  }
  if (frames.length === 0 || (!type && !appFrames)) return null;
  const keys: string[] = [];
  for (const frame of frames) {
    if (keys[keys.length - 1] !== frame.key) keys.push(frame.key); // recursion depth varies between reports
    if (keys.length === SIGNATURE_FRAMES) break;
  }
  return `${first.lang} | ${type ?? '?'} | ${keys.join(' > ')}`;
}

/** Python prints the most recent call last; the others print the throw point first. */
function throwPointFirst(block: Block): Frame[] {
  return block.lang === 'python' ? [...block.frames].reverse() : block.frames;
}

/** The first exception that has frames, with the exceptions chained to it (Java's `Caused by:`, Python's "During
 * handling of the above exception" and "The above exception was the direct cause"). Suppressed ones are left out. */
function primaryChain(blocks: readonly Block[]): Block[] | null {
  let start = 0;
  while (start < blocks.length) {
    const head = blocks[start];
    if (!head) break;
    // A pasted "Caused by:" part without its outer exception heads its own chain.
    const chain = [head];
    let next = start + 1;
    for (; next < blocks.length; next++) {
      const block = blocks[next];
      if (!block?.chained || block.lang !== head.lang) break;
      chain.push(block);
    }
    if (chain.some((block) => block.frames.length > 0)) return chain;
    start = next;
  }
  return null;
}

function parseBlocks(lines: readonly Line[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let pending: Header | null = null; // an exception line waiting for its frames (JavaScript, Java)
  let previous = ''; // the last non-empty line
  let suppressedIndent = -1; // inside Java's "Suppressed:" block: its frames are indented deeper than the line
  let python: { afterFile: boolean } | null = null;
  let pythonChained = false;
  let go: { done: boolean; panicked: boolean } | null = null;

  const open = (lang: Lang, type: string | null, chained: boolean): Block | null => {
    if (blocks.length >= MAX_BLOCKS) return null;
    const block: Block = { lang, type, frames: [], chained };
    blocks.push(block);
    return block;
  };
  const push = (block: Block | null, frame: Frame) => {
    if (block && block.frames.length < MAX_FRAMES) block.frames.push(frame);
  };

  for (const { text: line, indent } of lines) {
    if (line === '') {
      if (go && current?.lang === 'go' && current.frames.length > 0) go.done = true;
      continue;
    }
    const before = previous;
    previous = line;

    // Python: "Traceback (most recent call last):", frames, then the exception line.
    if (line.includes('Traceback (most recent call last)')) {
      current = open('python', null, pythonChained);
      pythonChained = false;
      python = { afterFile: false };
      pending = null;
      continue;
    }
    if (
      line.startsWith('During handling of the above exception') ||
      line.startsWith('The above exception was the direct cause')
    ) {
      pythonChained = true;
      python = null;
      continue;
    }
    if (line.startsWith('File "')) {
      if (!python || current?.lang !== 'python') {
        current = open('python', null, false);
        python = { afterFile: false };
      }
      push(current, pythonFrame(line));
      python.afterFile = true;
      continue;
    }
    if (python && current?.lang === 'python') {
      // A source line follows each File line; the exception line is the first that reads as one.
      const header = exceptionAtStart(line, python.afterFile ? 'suffix' : 'any');
      python.afterFile = false;
      if (header) {
        current.type = header.type;
        python = null;
      }
      continue;
    }

    // Go: "panic: …" (or "fatal error: …"), "goroutine 1 [running]:", then function / tab-indented file:line pairs.
    if (line.startsWith('panic: ') || line.startsWith('fatal error: ')) {
      if (go?.panicked) continue; // a re-panic ("panic: … [recovered]" then an indented "panic: …") keeps the first
      current = open('go', goPanicType(line), false);
      go = { done: false, panicked: true };
      pending = null;
      continue;
    }
    if (line.startsWith('goroutine ') && line.endsWith(':')) {
      if (go && current?.lang === 'go' && current.frames.length > 0) go.done = true;
      else if (!go) {
        current = open('go', null, false);
        go = { done: false, panicked: false };
      }
      continue;
    }
    if (go && current?.lang === 'go' && isGoLocation(line)) {
      if (!go.done && !before.startsWith('goroutine ')) push(current, goFrame(before, line));
      continue;
    }
    if (go && current?.lang === 'go') continue; // function lines wait for their location line

    // JavaScript (V8) and Java frames both start with "at ".
    if (line.startsWith('at ')) {
      const frame = atFrame(line);
      if (!frame) continue;
      if (suppressedIndent !== -1 && frame.lang === 'java') {
        if (indent > suppressedIndent) continue;
        suppressedIndent = -1;
      }
      if (!current || current.lang !== frame.lang || pending) {
        // Node prints the exception line right above the frames; a custom name must still end like an exception's
        // there, or "Stack:" above a pasted trace would become its type.
        const header = pending ?? exceptionAtStart(before, 'suffix');
        current = open(frame.lang, header?.type ?? null, false);
        pending = null;
      }
      push(current, frame.frame);
      continue;
    }
    if (line.startsWith('...') && (line.endsWith(' more') || line.endsWith('omitted'))) continue;
    if (line.startsWith('Caused by: ')) {
      if (suppressedIndent !== -1 && indent > suppressedIndent) continue; // a suppressed exception's cause
      suppressedIndent = -1;
      const header = exceptionAtStart(line.slice('Caused by: '.length), 'any');
      current = open('java', header?.type ?? null, true);
      pending = null;
      continue;
    }
    if (line.startsWith('Suppressed: ')) {
      if (suppressedIndent === -1) suppressedIndent = indent;
      continue;
    }
    if (line.startsWith('Exception in thread "')) {
      const quote = line.indexOf('" ', 'Exception in thread "'.length);
      const header = quote === -1 ? null : exceptionAtStart(line.slice(quote + 2), 'any');
      suppressedIndent = -1;
      current = open('java', header?.type ?? null, false);
      pending = null;
      continue;
    }
    const header = findException(line);
    if (header) {
      pending = header;
      suppressedIndent = -1;
    }
  }
  return blocks;
}

/** `File "/app/src/orders.py", line 42, in create_order` */
function pythonFrame(line: string): Frame {
  const close = line.indexOf('"', 'File "'.length);
  const path = close === -1 ? line.slice('File "'.length) : line.slice('File "'.length, close);
  const marker = line.lastIndexOf(', in ');
  const fn = marker === -1 ? '?' : line.slice(marker + ', in '.length).trim();
  const lower = normalisePath(path).toLowerCase();
  const app = !(
    lower.startsWith('<') ||
    lower.includes('site-packages/') ||
    lower.includes('dist-packages/') ||
    lower.split('/').some((segment) => /^python\d/.test(segment)) // the standard library: /usr/lib/python3.12/…
  );
  return { key: `${moduleOf(path)}:${normaliseName(fn)}`, app };
}

type AtFrame = { lang: 'js' | 'java'; frame: Frame };

/** `at fn (file:line:col)`, `at file:line:col`, `at async fn (…)`, or Java's `at com.acme.Foo.bar(Foo.java:42)`. */
function atFrame(line: string): AtFrame | null {
  const rest = line.slice(3).trim();
  const paren = rest.indexOf('(');
  if (paren > 0 && rest.charCodeAt(paren - 1) !== 32 && !rest.slice(0, paren).includes(' ')) {
    const close = rest.indexOf(')', paren);
    if (close !== -1) {
      const java = javaFrame(rest.slice(0, paren), rest.slice(paren + 1, close));
      if (java) return { lang: 'java', frame: java };
    }
  }
  let name = '?';
  let location = rest;
  const spaced = rest.indexOf(' (');
  if (spaced !== -1 && rest.endsWith(')')) {
    name = rest.slice(0, spaced);
    location = rest.slice(spaced + 2, -1);
  } else if (rest.startsWith('async ')) {
    location = rest.slice('async '.length);
  }
  if (!isJsLocation(location)) return null;
  return { lang: 'js', frame: jsFrame(name, location) };
}

const JS_RUNTIME = ['node:', 'internal/', 'bun:', 'deno:', 'ext:', 'electron/', 'webpack/bootstrap', 'index '];

function jsFrame(rawName: string, location: string): Frame {
  let name = rawName;
  if (name.startsWith('async ')) name = name.slice('async '.length);
  if (name.startsWith('new ')) name = name.slice('new '.length);
  const alias = name.indexOf(' [as ');
  if (alias !== -1) name = name.slice(0, alias);
  const path = stripLineNumbers(location);
  const lower = normalisePath(path).toLowerCase();
  const runtime =
    lower === '<anonymous>' ||
    lower === 'native' ||
    lower.startsWith('eval at ') ||
    JS_RUNTIME.some((prefix) => lower.startsWith(prefix));
  const app = !runtime && !lower.includes('node_modules/');
  return { key: `${moduleOf(path)}:${normaliseName(name.trim() || '?')}`, app };
}

/** A V8 location: a file with line numbers, a path to a script, or one of V8's own markers. */
function isJsLocation(location: string): boolean {
  if (location === '' || location.length > 400) return false;
  if (location === '<anonymous>' || location === 'native' || location.startsWith('index ')) return true;
  if (location.startsWith('node:') || location.startsWith('eval at ')) return true;
  const path = stripLineNumbers(location);
  const file = path.includes('/') || path.includes('\\') || path.includes('.');
  // "at noon (12:30)" is prose: a location names a file.
  if (!file || !/[A-Za-z]/.test(path) || (path.includes(' ') && !path.includes('/') && !path.includes('\\'))) {
    return false;
  }
  if (path !== location) return true; // it had :line or :line:col
  return (path.includes('/') || path.includes('\\')) && /\.[cm]?[jt]sx?$/.test(path);
}

const JAVA_LOCATION = /^[\w$.-]+\.(?:java|kt|kts|scala|groovy|clj)(?::\d+)?$/;

/** The package namespaces of the JDK, other JVM languages and widely used frameworks: not the application. */
const JAVA_DEPENDENCIES = [
  'java.',
  'javax.',
  'jakarta.',
  'jdk.',
  'sun.',
  'com.sun.',
  'kotlin.',
  'kotlinx.',
  'scala.',
  'groovy.',
  'clojure.',
  'org.codehaus.groovy.',
  'org.springframework.',
  'org.apache.',
  'org.hibernate.',
  'org.eclipse.',
  'org.junit.',
  'org.mockito.',
  'org.postgresql.',
  'org.slf4j.',
  'org.aspectj.',
  'ch.qos.logback.',
  'com.fasterxml.',
  'com.google.',
  'com.zaxxer.',
  'io.netty.',
  'io.micronaut.',
  'io.quarkus.',
  'io.vertx.',
  'io.grpc.',
  'io.reactivex.',
  'reactor.',
  'okhttp3.',
  'okio.',
  'retrofit2.',
  'feign.',
  'net.bytebuddy.',
  'android.',
  'androidx.',
  'dalvik.',
  'com.android.',
];

function javaFrame(qualified: string, location: string): Frame | null {
  if (
    !(
      location === 'Native Method' ||
      location === '<generated>' ||
      location === 'Unknown Source' ||
      location.startsWith('Unknown Source:') ||
      JAVA_LOCATION.test(location)
    )
  ) {
    return null;
  }
  // "java.base/java.lang.Thread.run", "app//com.acme.Main.main": class loader and module come before the last '/'.
  const slash = qualified.lastIndexOf('/');
  const name = qualified.slice(slash + 1);
  if (!name.includes('.')) return null;
  const module = slash === -1 ? '' : qualified.slice(0, slash);
  const app = !(
    location === 'Native Method' ||
    module.startsWith('java.') ||
    module.startsWith('jdk.') ||
    name.includes('$$') || // generated proxies (CGLIB, ByteBuddy): the real method is the next frame
    name.includes('$Proxy') ||
    JAVA_DEPENDENCIES.some((prefix) => name.startsWith(prefix))
  );
  return { key: normaliseName(name), app };
}

/** `panic: runtime error: index out of range [5] with length 3` → the panic's message, normalised. */
function goPanicType(line: string): string {
  const fatal = line.startsWith('fatal error: ');
  let message = line.slice(fatal ? 'fatal error: '.length : 'panic: '.length);
  if (message.endsWith(' [recovered]')) message = message.slice(0, -' [recovered]'.length);
  return `${fatal ? 'fatal error' : 'panic'}: ${normaliseMessage(message)}`;
}

/** `/app/server.go:42 +0x1d`, `github.com/acme/shop/orders.go:88`, or without a line number. */
function isGoLocation(line: string): boolean {
  const space = line.indexOf(' ');
  const path = stripLineNumbers(space === -1 ? line : line.slice(0, space));
  return path.endsWith('.go') && !path.includes('(');
}

/** The first path element of Go's standard library packages (`net/http.…`, `encoding/json.…`, `sync.…`). */
const GO_STD = new Set(
  (
    'archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors expvar ' +
    'flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect regexp runtime ' +
    'slices sort strconv strings sync syscall testing text time unicode unique unsafe weak'
  ).split(' '),
);

function goFrame(functionLine: string, locationLine: string): Frame {
  let name = functionLine;
  if (name.startsWith('created by ')) {
    name = name.slice('created by '.length);
    const inGoroutine = name.indexOf(' in goroutine ');
    if (inGoroutine !== -1) name = name.slice(0, inGoroutine);
  }
  // "main.(*Server).handle(0xc000010000, {0x5d3a20, 0xc00001c0f0})": the arguments are the last parenthesis.
  if (name.endsWith(')')) {
    const args = name.lastIndexOf('(');
    if (args > 0) name = name.slice(0, args);
  }
  const slash = name.lastIndexOf('/');
  const firstElement = slash === -1 ? name.slice(0, name.indexOf('.')) : name.slice(0, name.indexOf('/'));
  const location = normalisePath(locationLine).toLowerCase();
  const app = !(
    name === 'panic' ||
    GO_STD.has(firstElement) ||
    location.includes('/usr/local/go/src/') ||
    location.includes('goroot') ||
    location.includes('/pkg/mod/') ||
    location.includes('/vendor/') ||
    location.includes('@v')
  );
  // A Go function name carries its package path, which does not depend on where the binary was built or deployed.
  return { key: normaliseName(name), app };
}

// ---------------------------------------------------------------------------------------------------------------
// Exception lines

/** The last part of a type name that says it is an exception. */
const EXCEPTION_SUFFIX = /(?:Error|Exception|Exit|Interrupt|Iteration|Warning|Fault|Failure|Throwable|Panic)$/;

/**
 * `TYPE: message`, `TYPE` alone, or Node's `TYPE [ERR_CODE]: message`, at the start of a line. `any` accepts any
 * identifier as the type (where the position says it is an exception line: before frames, after a traceback);
 * `suffix` only names that end like an exception's, because a source line (`x: int = 5`) may stand there.
 */
function exceptionAtStart(text: string, accept: 'any' | 'suffix'): Header | null {
  let line = text;
  if (line.startsWith('Uncaught (in promise) ')) line = line.slice('Uncaught (in promise) '.length);
  else if (line.startsWith('Uncaught ')) line = line.slice('Uncaught '.length);
  let end = 0;
  while (end < line.length && isTypeChar(line.charCodeAt(end))) end++;
  if (end === 0 || !isTypeStart(line.charCodeAt(0))) return null;
  let type = line.slice(0, end);
  if (type.endsWith('.') || type.includes('..')) return null;
  let rest = line.slice(end);
  if (rest.startsWith(' [') && rest.indexOf(']') > 2) {
    const close = rest.indexOf(']');
    const code = rest.slice(2, close);
    if (/^[A-Z][A-Z0-9_]{1,63}$/.test(code)) {
      type = `${type} [${code}]`;
      rest = rest.slice(close + 1);
    }
  }
  let message: string;
  if (rest === '') message = '';
  else if (rest === ':' || rest.startsWith(': ')) message = rest.slice(1).trim();
  else return null;
  const last = type.slice(type.lastIndexOf('.') + 1);
  if (accept === 'suffix' && !EXCEPTION_SUFFIX.test(last.replace(/ \[.*$/, ''))) return null;
  return { type, message };
}

/** An exception line anywhere in a line (after a log prefix, say): a name that ends like an exception's, then ':'. */
function findException(line: string): Header | null {
  const go = line.startsWith('panic: ') || line.startsWith('fatal error: ');
  if (go) return { type: goPanicType(line).split(':')[0] ?? 'panic', message: line.slice(line.indexOf(': ') + 2) };
  for (let start = 0; start < line.length; start++) {
    const previous = start === 0 ? 32 : line.charCodeAt(start - 1);
    const boundary = previous === 32 || previous === 96 || previous === 34 || previous === 91; // ' ' ` " [
    if (!isTypeStart(line.charCodeAt(start)) || !boundary) continue;
    let end = start;
    while (end < line.length && isTypeChar(line.charCodeAt(end))) end++;
    const word = line.slice(start, end);
    if (EXCEPTION_SUFFIX.test(word.slice(word.lastIndexOf('.') + 1))) {
      const header = exceptionAtStart(line.slice(start), 'suffix');
      if (header) return header;
    }
    start = end; // the next candidate starts after this word
  }
  return null;
}

function isTypeStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36; // A-Z a-z _ $
}

function isTypeChar(c: number): boolean {
  return isTypeStart(c) || (c >= 48 && c <= 57) || c === 46; // and 0-9 .
}

// ---------------------------------------------------------------------------------------------------------------
// The message basis

function messageSignature(all: readonly Line[]): string | null {
  const lines = all.map((line) => line.text);
  let found: Header | null = null;
  for (const line of lines) {
    if (line === '') continue;
    found = findException(line);
    if (found) break;
  }
  if (!found) return null;
  const message = normaliseMessage(withoutContext(found.message).replaceAll('`', ''));
  if (message === '') return null;
  // "Error: login is broken" is prose with a prefix. A bare Error counts when it carries something a machine wrote:
  // a quoted name, or a code such as ECONNREFUSED or ERR_INVALID_ARG_TYPE.
  if ((found.type === 'Error' || found.type === 'Exception') && !/['"]|\bE[A-Z]{3,}\b|\bERR_/.test(found.message)) {
    return null;
  }
  const parts = [`${found.type}: ${message}`];
  const component = findComponent(lines);
  if (component) parts.push(`component=${component}`);
  const route = findRoute(lines);
  if (route) parts.push(`route=${route}`);
  return parts.join(' | ');
}

const TELEMETRY = /\b(?:x-)?(?:request|req|trace|span|correlation)[-_ ]?id\s?[:=]\s?[^\s,;)]{0,128}/gi;
const CONNECTOR = /\s(?:in|on|at|for|from|during|while|when|with|via|-|—|\(|\[)$/i;

/**
 * The error's own words, without what a person or a log line put after it: telemetry ids are dropped, and the
 * message ends where a route or component is named (they are keyed on apart, so where they sit does not matter).
 */
function withoutContext(message: string): string {
  let text = message.slice(0, MAX_LINE).replace(TELEMETRY, ' ');
  for (const pattern of [ROUTE, COMPONENT, COMPONENT_IN]) {
    const match = pattern.exec(text);
    if (match) text = text.slice(0, match.index);
  }
  text = text.trimEnd();
  for (let round = 0; round < 3; round++) {
    const connector = CONNECTOR.exec(text);
    if (!connector) break;
    text = text.slice(0, connector.index).trimEnd();
  }
  return text;
}

const COMPONENT = /\b(?:component|service|module|feature|screen|page|view)\s?[:=]\s?[`'"]?([A-Za-z][\w./-]{0,63})/i;
const COMPONENT_IN = /\bin `([A-Za-z][\w./-]{0,63})`/;

function findComponent(lines: readonly string[]): string | null {
  for (const line of lines) {
    const match = COMPONENT.exec(line) ?? COMPONENT_IN.exec(line);
    if (match?.[1]) return match[1].toLowerCase();
  }
  return null;
}

const ROUTE = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?:https?:\/\/[^\s/]{1,253})?(\/[^\s?#"'`<>|),]{0,300})/;

/** `POST /api/orders/123?x=1` → `POST /api/orders/:id`: ids in a path are the same route. */
function normaliseRoute(method: string, path: string): string {
  const segments = path.split('/').map((segment) => (segment !== '' && isIdSegment(segment) ? ':id' : segment));
  let normalised = segments.join('/');
  while (normalised.length > 1 && (normalised.endsWith('/') || normalised.endsWith('.'))) {
    normalised = normalised.slice(0, -1);
  }
  return `${method} ${normalised}`;
}

function findRoute(lines: readonly string[]): string | null {
  for (const line of lines) {
    const match = ROUTE.exec(line);
    if (match?.[1] && match[2]) return normaliseRoute(match[1], match[2]);
  }
  return null;
}

/** A path segment that is a value, not a name: a number, UUID, hex id or generated id (`v2` and `utf8` are names). */
function isIdSegment(segment: string): boolean {
  if (segment.startsWith(':') || (segment.startsWith('{') && segment.endsWith('}'))) return true;
  if (ONE_UUID.test(segment)) return true;
  const normalised = normaliseTokens(segment);
  if (normalised.includes('<n>')) return !/[A-Za-z]/.test(normalised.replaceAll('<n>', ''));
  return normalised !== segment;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisers

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// 2024-05-01T12:00:03.123Z, 2024-05-01 12:00, with or without seconds, fraction and zone.
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?/g;
// 1.5 and 2, 10.0.3.7 and 10.0.9.114, 1,024 and 512: a number is a number.
const DECIMAL = /<n>(?:[.,]<n>)+/g;
const ONE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An error message without what changes between two reports of the same error: UUIDs, timestamps, hex ids and
 * addresses, numbers (so ports, IPs, durations, ids and line numbers), temp paths, and the directories of a file path. Whitespace is
 * collapsed, trailing punctuation dropped, and the result cut to MAX_MESSAGE characters.
 */
function normaliseMessage(message: string): string {
  const withoutIds = message.slice(0, MAX_LINE).replace(UUID, '<uuid>').replace(TIMESTAMP, '<time>');
  let normalised = normaliseTokens(normalisePaths(withoutIds)).replace(DECIMAL, '<n>').replace(/\s+/g, ' ').trim();
  while (normalised.length > 0 && '.:;,'.includes(normalised.charAt(normalised.length - 1))) {
    normalised = normalised.slice(0, -1).trimEnd();
  }
  return normalised.slice(0, MAX_MESSAGE);
}

/** Temp paths become `<tmp>`; an absolute path to a file becomes the file's name (deploy roots differ). */
function normalisePaths(text: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = pathStart(text, i);
    if (start === -1) {
      out.push(text.slice(i));
      break;
    }
    out.push(text.slice(i, start));
    let end = start;
    while (end < text.length && !isPathEnd(text.charCodeAt(end))) end++;
    const path = text.slice(start, end);
    const forward = path.replaceAll('\\', '/');
    const lower = forward.toLowerCase();
    const base = forward.slice(forward.lastIndexOf('/') + 1);
    if (
      lower.startsWith('/tmp/') ||
      lower.startsWith('/var/tmp/') ||
      lower.startsWith('/var/folders/') ||
      lower.startsWith('/private/var/folders/') ||
      lower.startsWith('/private/tmp/') ||
      lower.includes('/appdata/local/temp/') ||
      lower.includes('/windows/temp/')
    ) {
      out.push('<tmp>');
    } else if (forward.indexOf('/', 1) !== -1 && /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(base)) {
      out.push(base);
    } else {
      out.push(path);
    }
    i = end;
  }
  return out.join('');
}

/** Where the next absolute path starts ('/' or 'C:\' after a space, quote, bracket or '='), or -1. */
function pathStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const before = i === 0 ? 32 : text.charCodeAt(i - 1);
    const boundary = before === 32 || before === 39 || before === 34 || before === 40 || before === 61 || before === 96;
    if (!boundary) continue;
    if (c === 47 && i + 1 < text.length && text.charCodeAt(i + 1) !== 32) return i; // '/x'
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (letter && text.charCodeAt(i + 1) === 58 && text.charCodeAt(i + 2) === 92) return i; // 'C:\'
  }
  return -1;
}

function isPathEnd(c: number): boolean {
  return c === 32 || c === 9 || c === 39 || c === 34 || c === 96 || c === 41 || c === 44 || c === 62 || c === 93;
}

/**
 * Each run of letters and digits: all digits → `<n>`; `0x…` or six or more hex digits with a digit among them →
 * `<hex>`; letters and digits mixed like a generated id (`8f3k2j1a`) → `<id>`; a word with a number in it
 * (`utf8`, `v2`) keeps its letters and loses its digits.
 */
function normaliseTokens(text: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isAlnum(text.charCodeAt(i))) {
      const start = i;
      while (i < text.length && !isAlnum(text.charCodeAt(i))) i++;
      out.push(text.slice(start, i));
      continue;
    }
    const start = i;
    let digits = 0;
    let hexOnly = true;
    let switches = 0;
    let lastWasDigit = isDigit(text.charCodeAt(i));
    while (i < text.length && isAlnum(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      const digit = isDigit(c);
      if (digit) digits++;
      else if (!isHexLetter(c)) hexOnly = false;
      if (digit !== lastWasDigit) switches++;
      lastWasDigit = digit;
      i++;
    }
    const token = text.slice(start, i);
    if (digits === 0) out.push(token);
    else if (digits === token.length) out.push('<n>');
    else if (/^0x[0-9a-f]+$/i.test(token) || (hexOnly && token.length >= 6)) out.push('<hex>');
    else if (switches >= 3 || token.length >= 16) out.push('<id>');
    else out.push(token.replace(/\d+/g, '<n>'));
  }
  return out.join('');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isAlnum(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A function or class name without generated parts: `lambda$create$0` → `lambda$create$n`, `func1` → `func`. */
function normaliseName(name: string): string {
  return name
    .slice(0, 200)
    .replace(/\$\d+/g, '$n')
    .replace(/\.func\d+/g, '.func')
    .replace(/\b(?=[a-f]*\d)[0-9a-f]{8,}\b/gi, '<hex>');
}

/** Backslashes to slashes, without `file://` and webpack's scheme or a query string. */
function normalisePath(path: string): string {
  let p = path.replaceAll('\\', '/');
  const scheme = p.indexOf('://');
  if (scheme !== -1 && scheme < 20) p = p.slice(scheme + 3);
  const query = p.indexOf('?');
  if (query !== -1) p = p.slice(0, query);
  return p;
}

/** `file:line:col` → `file` (a drive letter's colon stays). */
function stripLineNumbers(location: string): string {
  let end = location.length;
  for (let round = 0; round < 2; round++) {
    let digitsStart = end;
    while (digitsStart > 0 && isDigit(location.charCodeAt(digitsStart - 1))) digitsStart--;
    if (digitsStart === end || digitsStart === 0 || location.charCodeAt(digitsStart - 1) !== 58) break;
    end = digitsStart - 1;
  }
  return location.slice(0, end);
}

/**
 * The module a frame's file stands for, the same wherever the app is deployed: for a dependency its package name
 * (whatever its version or package manager layout), otherwise the file's name without its extension, with the
 * folder for index files (`orders/index`).
 */
function moduleOf(rawPath: string): string {
  const path = normalisePath(rawPath);
  const modules = path.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = path.slice(modules + 'node_modules/'.length).split('/');
    const scoped = parts[0]?.startsWith('@');
    return (scoped ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '')).toLowerCase();
  }
  if (path.startsWith('<') || path.startsWith('node:')) return path;
  const segments = path.split('/').filter((segment) => segment !== '');
  let base = segments[segments.length - 1] ?? path;
  const dot = base.lastIndexOf('.');
  if (dot > 0 && /^[A-Za-z][A-Za-z0-9]{0,4}$/.test(base.slice(dot + 1))) base = base.slice(0, dot);
  if ((base === 'index' || base === '__init__' || base === 'mod') && segments.length >= 2) {
    base = `${segments[segments.length - 2]}/${base}`;
  }
  return normaliseTokens(base);
}
