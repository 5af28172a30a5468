import { describe, expect, it } from 'vitest';
import { FINGERPRINT_VERSION, fingerprintReport, SIGNATURE_FRAMES } from '../../src/domain/fingerprint.ts';
import { bestCpuMs } from '../support/cpu-time.ts';

// Reports as people post them: the trace is usually the description, sometimes the title is the error line.
type Report = { title: string; description: string };
const report = (description: string, title = 'Checkout crashed'): Report => ({ title, description });
const fp = (r: Report) => fingerprintReport(r);

// ---- Node ---------------------------------------------------------------------------------------------------------

function nodeTrace(options: {
  root?: string;
  type?: string;
  message?: string;
  thrower?: string;
  line?: number;
  expressFrames?: string;
}): string {
  const root = options.root ?? '/app';
  const line = options.line ?? 42;
  return [
    `${options.type ?? 'TypeError'}: ${options.message ?? "Cannot read properties of undefined (reading 'id')"}`,
    `    at ${options.thrower ?? 'createOrder'} (${root}/src/orders/create-order.js:${line}:18)`,
    `    at async checkout (${root}/src/routes/checkout.js:${line - 25}:5)`,
    options.expressFrames ??
      `    at async Layer.handle [as handle_request] (${root}/node_modules/express/lib/router/layer.js:95:5)`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ].join('\n');
}

const PNPM_EXPRESS = [
  '    at Layer.handle [as handle_request] (/srv/app/node_modules/.pnpm/express@4.21.0/node_modules/express/lib/router/layer.js:97:5)',
  '    at next (/srv/app/node_modules/.pnpm/express@4.21.0/node_modules/express/lib/router/route.js:149:13)',
  '    at jsonParser (/srv/app/node_modules/.pnpm/body-parser@1.20.3/node_modules/body-parser/lib/types/json.js:110:7)',
].join('\n');

// ---- Python -------------------------------------------------------------------------------------------------------

function pythonTrace(options: {
  root?: string;
  python?: string;
  packages?: string;
  type?: string;
  message?: string;
  fn?: string;
  line?: number;
}): string {
  const root = options.root ?? '/app';
  const python = options.python ?? '/usr/local/lib/python3.12';
  const line = options.line ?? 42;
  return [
    'Traceback (most recent call last):',
    `  File "${options.packages ?? `${python}/site-packages`}/django/core/handlers/exception.py", line 55, in inner`,
    '    response = get_response(request)',
    `  File "${root}/shop/views.py", line ${line + 46}, in create_order`,
    '    order = service.place(cart_id=cart.id)',
    `  File "${root}/shop/services/orders.py", line ${line}, in ${options.fn ?? 'place'}`,
    '    total = prices[item.sku]',
    '            ~~~~~~^^^^^^^^^^',
    `${options.type ?? 'KeyError'}: ${options.message ?? "'SKU-12345'"}`,
  ].join('\n');
}

function pythonChained(outerMessage: string, address: string): string {
  return [
    'Traceback (most recent call last):',
    '  File "/app/shop/services/payments.py", line 61, in charge',
    '    response.raise_for_status()',
    '  File "/usr/local/lib/python3.12/site-packages/requests/models.py", line 1024, in raise_for_status',
    '    raise HTTPError(http_error_msg, response=self)',
    'requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: https://pay.example.com/v1/charges',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/app/shop/views.py", line 120, in pay',
    '    raise PaymentFailed(outer) from err',
    `shop.errors.PaymentFailed: ${outerMessage} <Charge object at ${address}>`,
  ].join('\n');
}

// ---- Java ---------------------------------------------------------------------------------------------------------

function javaTrace(options: { type?: string; message?: string; line?: number; jdk?: 'module' | 'plain' }): string {
  const line = options.line ?? 42;
  const thread = options.jdk === 'plain' ? 'java.lang.Thread.run' : 'java.base/java.lang.Thread.run';
  return [
    `Exception in thread "main" ${options.type ?? 'java.lang.IllegalStateException'}: ${options.message ?? 'Order 8812 has no lines'}`,
    `\tat com.acme.shop.orders.OrderService.place(OrderService.java:${line})`,
    `\tat com.acme.shop.orders.OrderController.create(OrderController.java:${line - 15})`,
    `\tat ${thread}(Thread.java:${options.jdk === 'plain' ? 748 : 833})`,
  ].join('\n');
}

function springTrace(options: { proxy: string; lambda: number; more: number; mailer?: string }): string {
  return [
    '2024-05-01 12:00:03.123 ERROR 1 --- [nio-8080-exec-7] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception',
    'org.springframework.web.util.NestedServletException: Request processing failed; nested exception is java.lang.NullPointerException',
    '\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014) ~[spring-webmvc-5.3.20.jar:5.3.20]',
    '\tat javax.servlet.http.HttpServlet.service(HttpServlet.java:681) ~[tomcat-embed-core-9.0.63.jar:4.0.FR]',
    javaCause(options),
  ].join('\n');
}

function javaCause(options: { proxy: string; lambda: number; more: number; mailer?: string }): string {
  return [
    'Caused by: java.lang.NullPointerException: Cannot invoke "com.acme.shop.Customer.getEmail()" because "customer" is null',
    `\tat com.acme.shop.mail.${options.mailer ?? 'ReceiptMailer'}.send(${options.mailer ?? 'ReceiptMailer'}.java:58) ~[classes/:na]`,
    `\tat com.acme.shop.orders.OrderService.lambda$place$${options.lambda}(OrderService.java:77) ~[classes/:na]`,
    '\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1511) ~[na:na]',
    `\tat com.acme.shop.orders.OrderService$$EnhancerBySpringCGLIB$$${options.proxy}.place(<generated>) ~[classes/:na]`,
    '\tat com.acme.shop.orders.OrderService.place(OrderService.java:75) ~[classes/:na]',
    `\t... ${options.more} more`,
  ].join('\n');
}

// ---- Go -----------------------------------------------------------------------------------------------------------

function goTrace(options: {
  panic?: string;
  fn?: string;
  root?: string;
  goroot?: string;
  goroutine?: number;
  address?: string;
  line?: number;
  others?: boolean;
  gin?: string;
}): string {
  const root = options.root ?? '/app';
  const goroot = options.goroot ?? '/usr/local/go';
  const address = options.address ?? '0xc000124000';
  const line = options.line ?? 88;
  const lines = [
    `panic: ${options.panic ?? 'runtime error: invalid memory address or nil pointer dereference'}`,
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b4f2a]',
    '',
    `goroutine ${options.goroutine ?? 42} [running]:`,
    `github.com/acme/shop/internal/orders.(*Service).${options.fn ?? 'Place'}(0x0, {0x8a1f20, ${address}}, 0xc0001a2000)`,
    `\t${root}/internal/orders/service.go:${line} +0x2a`,
    `github.com/acme/shop/internal/http.(*Handler).CreateOrder(0xc00011e000, {0x8a0e40, ${address}}, 0xc000168000)`,
    `\t${root}/internal/http/orders.go:${line - 47} +0x1c5`,
    'github.com/gin-gonic/gin.(*Context).Next(...)',
    `\t/root/go/pkg/mod/github.com/gin-gonic/gin@${options.gin ?? 'v1.9.1'}/context.go:174`,
    'net/http.HandlerFunc.ServeHTTP(0xc000132000?, {0x8a0e40?, 0xc00014a0e0?}, 0xc000168000?)',
    `\t${goroot}/src/net/http/server.go:2136 +0x29`,
    'created by net/http.(*Server).Serve in goroutine 1',
    `\t${goroot}/src/net/http/server.go:3102 +0x4db`,
  ];
  if (options.others) {
    lines.push(
      '',
      'goroutine 1 [IO wait]:',
      'internal/poll.runtime_pollWait(0x7f1c2c3e8ed8, 0x72)',
      `\t${goroot}/src/runtime/netpoll.go:345 +0x85`,
      'main.main()',
      `\t${root}/cmd/shop/main.go:31 +0x3c5`,
    );
  }
  lines.push('exit status 2');
  return lines.join('\n');
}

// ---- The tables ---------------------------------------------------------------------------------------------------

type Pair = { proves: string; basis: 'stack' | 'message'; a: Report; b: Report };

const MUST_COLLIDE: Pair[] = [
  // Node
  {
    proves: 'node: other line and column numbers after a deploy',
    basis: 'stack',
    a: report(nodeTrace({ line: 42 })),
    b: report(nodeTrace({ line: 57 })),
  },
  {
    proves: 'node: the same app deployed under /app and /srv/app',
    basis: 'stack',
    a: report(nodeTrace({ root: '/app' })),
    b: report(nodeTrace({ root: '/srv/app' })),
  },
  {
    proves: 'node: dependency frames from another node_modules layout and version (pnpm, body-parser) do not count',
    basis: 'stack',
    a: report(nodeTrace({})),
    b: report(nodeTrace({ root: '/srv/app', expressFrames: PNPM_EXPRESS })),
  },
  {
    proves: 'node: other ids in the message do not matter on the stack basis',
    basis: 'stack',
    a: report(nodeTrace({ type: 'OrderNotFoundError', message: 'order 3f2a1b9c-1d2e-4f5a-8b6c-7d8e9f0a1b2c missing' })),
    b: report(nodeTrace({ type: 'OrderNotFoundError', message: 'order 0d9e8f7a-6b5c-4d3e-9f1a-2b3c4d5e6f70 missing' })),
  },
  {
    proves: 'node: pasted through Slack (code fence, &lt;/&gt; entities, file:// ESM paths) reads as the raw paste',
    basis: 'stack',
    a: report(
      "TypeError: Cannot read properties of undefined (reading 'id')\n" +
        '    at createOrder (/app/src/orders/create-order.js:42:18)\n' +
        '    at Array.map (<anonymous>)\n' +
        '    at async checkout (/app/src/routes/checkout.js:17:5)',
    ),
    b: report(
      "checkout blew up again:\n```TypeError: Cannot read properties of undefined (reading 'id')\n" +
        '    at createOrder (file:///srv/app/src/orders/create-order.js:44:18)\n' +
        '    at Array.map (&lt;anonymous&gt;)\n' +
        '    at async checkout (file:///srv/app/src/routes/checkout.js:19:5)```\nsee <https://logs.example.com/q?id=9|logs>',
    ),
  },
  {
    proves: 'node: a trace without line numbers groups with one that has them',
    basis: 'stack',
    a: report(nodeTrace({})),
    b: report(
      "TypeError: Cannot read properties of undefined (reading 'id')\n" +
        '    at createOrder (/app/src/orders/create-order.js)\n' +
        '    at checkout (/app/src/routes/checkout.js)',
    ),
  },
  {
    proves: 'node: compiled dist/*.js on Linux and source src/*.ts on a Windows laptop (same module, same function)',
    basis: 'stack',
    a: report(
      "TypeError: Cannot read properties of undefined (reading 'id')\n" +
        '    at createOrder (/app/dist/orders/create-order.js:31:20)\n' +
        '    at async checkout (/app/dist/routes/checkout.js:12:5)',
    ),
    b: report(
      "TypeError: Cannot read properties of undefined (reading 'id')\n" +
        '    at createOrder (C:\\Users\\dev\\shop\\src\\orders\\create-order.ts:42:18)\n' +
        '    at async checkout (C:\\Users\\dev\\shop\\src\\routes\\checkout.ts:17:5)',
    ),
  },
  {
    proves: 'node: a different recursion depth is the same crash',
    basis: 'stack',
    a: report(
      'RangeError: Maximum call stack size exceeded\n' +
        '    at walk (/app/src/tree/walk.js:8:3)\n'.repeat(3) +
        '    at render (/app/src/tree/render.js:20:10)',
    ),
    b: report(
      'RangeError: Maximum call stack size exceeded\n' +
        '    at walk (/app/src/tree/walk.js:9:3)\n'.repeat(9) +
        '    at render (/app/src/tree/render.js:21:10)',
    ),
  },
  {
    proves: "node: the uncaught-exception banner (source line, caret, Node's version) around the trace",
    basis: 'stack',
    a: report(nodeTrace({})),
    b: report(
      '/app/src/orders/create-order.js:42\n    const id = order.id;\n                     ^\n\n' +
        `${nodeTrace({ line: 44 })}\n\nNode.js v20.11.0`,
    ),
  },
  // Python
  {
    proves: 'python: other line numbers, deploy root and Python version (site-packages path) do not count',
    basis: 'stack',
    a: report(pythonTrace({ root: '/app', python: '/usr/local/lib/python3.12', line: 42 })),
    b: report(pythonTrace({ root: '/srv/shop', python: '/opt/venv/lib/python3.11', line: 51 })),
  },
  {
    proves: 'python: a Windows virtualenv (Lib\\site-packages) is a dependency too',
    basis: 'stack',
    a: report(pythonTrace({})),
    b: report(pythonTrace({ root: 'C:\\shop', packages: 'C:\\shop\\.venv\\Lib\\site-packages' })),
  },
  {
    proves: 'python: another key or memory address in the exception message does not matter',
    basis: 'stack',
    a: report(pythonTrace({ message: "'SKU-12345'" })),
    b: report(pythonTrace({ message: "'SKU-99887' <Cart object at 0x7f3a2b1c0d90>" })),
  },
  {
    proves: 'python: a chained exception keys on its root cause, whatever the wrapper message and addresses',
    basis: 'stack',
    a: report(pythonChained('charge for order 77 failed', '0x7f3a2b1c0d90')),
    b: report(pythonChained('charge for order 1203 failed', '0x7f99aa00bb11')),
  },
  {
    proves: 'python: frames pasted without the "Traceback" line, or with Slack entities in the source lines',
    basis: 'stack',
    a: report(pythonTrace({})),
    b: report(
      pythonTrace({ line: 40 })
        .replace('Traceback (most recent call last):\n', '')
        .replace('total = prices[item.sku]', 'total = prices[item.sku] if n &gt; 0 &amp;&amp; ok else 0'),
    ),
  },
  // Java / Kotlin
  {
    proves: 'java: other line numbers, another order id, a JDK 8 frame without the java.base/ module prefix',
    basis: 'stack',
    a: report(javaTrace({ line: 42, message: 'Order 8812 has no lines' })),
    b: report(javaTrace({ line: 47, message: 'Order 10233 has no lines', jdk: 'plain' })),
  },
  {
    proves: 'java: Spring proxy hashes, lambda indexes, "... N more" counts and jar suffixes do not count',
    basis: 'stack',
    a: report(springTrace({ proxy: '1a2b3c4d', lambda: 0, more: 48 })),
    b: report(springTrace({ proxy: '5e6f7a8b', lambda: 1, more: 12 })),
  },
  {
    proves: 'java: a pasted "Caused by:" part alone groups with the whole trace (the root cause decides)',
    basis: 'stack',
    a: report(springTrace({ proxy: '1a2b3c4d', lambda: 0, more: 48 })),
    b: report(javaCause({ proxy: '9f8e7d6c', lambda: 0, more: 3 })),
  },
  {
    proves: 'java: a suppressed exception (and its frames) inside the trace does not count',
    basis: 'stack',
    a: report(
      'java.io.IOException: write failed\n' +
        '\tat com.acme.shop.export.CsvWriter.flush(CsvWriter.java:88)\n' +
        '\tat com.acme.shop.export.ExportJob.run(ExportJob.java:40)',
    ),
    b: report(
      'java.io.IOException: write failed\n' +
        '\tat com.acme.shop.export.CsvWriter.flush(CsvWriter.java:91)\n' +
        '\tSuppressed: java.lang.IllegalStateException: close failed\n' +
        '\t\tat com.acme.shop.export.CsvWriter.close(CsvWriter.java:99)\n' +
        '\t\tCaused by: java.lang.NullPointerException\n' +
        '\t\t\tat com.acme.shop.export.Buffer.drain(Buffer.java:12)\n' +
        '\tat com.acme.shop.export.ExportJob.run(ExportJob.java:41)',
    ),
  },
  {
    proves: 'kotlin: the same frames through Slack with a timestamp and a request id in the message',
    basis: 'stack',
    a: report(
      'Exception in thread "DefaultDispatcher-worker-1" java.lang.IllegalArgumentException: quantity must be positive (request 7f9c2ab1)\n' +
        '\tat com.acme.shop.cart.CartService.add(CartService.kt:33)\n' +
        '\tat com.acme.shop.cart.CartService$add$2.invokeSuspend(CartService.kt:29)\n' +
        '\tat kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)',
    ),
    b: report(
      '```2024-05-02T08:15:00Z Exception in thread "DefaultDispatcher-worker-3" java.lang.IllegalArgumentException: quantity must be positive (request 0be44d17)\n' +
        '\tat com.acme.shop.cart.CartService.add(CartService.kt:35)\n' +
        '\tat com.acme.shop.cart.CartService$add$2.invokeSuspend(CartService.kt:31)\n' +
        '\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)```',
    ),
  },
  // Go
  {
    proves: 'go: other addresses, goroutine number, line numbers, deploy root, GOROOT and module-cache versions',
    basis: 'stack',
    a: report(goTrace({})),
    b: report(
      goTrace({
        address: '0xc0004d2000',
        goroutine: 1187,
        line: 93,
        root: '/build/shop',
        goroot: '/usr/lib/go-1.22',
        gin: 'v1.10.0',
      }),
    ),
  },
  {
    proves: 'go: the other goroutines of a full dump do not count',
    basis: 'stack',
    a: report(goTrace({})),
    b: report(goTrace({ others: true })),
  },
  {
    proves: 'go: a -trimpath build (module paths instead of files) groups with a normal one',
    basis: 'stack',
    a: report(goTrace({})),
    b: report(goTrace({}).replaceAll('/app/internal/', 'github.com/acme/shop/internal/')),
  },
  {
    proves: 'go: a panic message with other numbers is the same panic',
    basis: 'stack',
    a: report(goTrace({ panic: 'runtime error: index out of range [5] with length 3' })),
    b: report(goTrace({ panic: 'runtime error: index out of range [12] with length 4' })),
  },
  {
    proves: 'go: a fatal error keys like a panic, inlined frames ("(...)", no offset) included',
    basis: 'stack',
    a: report(
      'fatal error: concurrent map writes\n\ngoroutine 23 [running]:\n' +
        'github.com/acme/shop/internal/cache.(*Store).Put(...)\n\t/app/internal/cache/store.go:19\n' +
        'main.main.func1()\n\t/app/cmd/shop/main.go:40 +0x5a',
    ),
    b: report(
      'fatal error: concurrent map writes\n\ngoroutine 7 [running]:\n' +
        'github.com/acme/shop/internal/cache.(*Store).Put(...)\n\t/srv/shop/internal/cache/store.go:21\n' +
        'main.main.func1()\n\t/srv/shop/cmd/shop/main.go:42 +0x61',
    ),
  },
  // The message basis
  {
    proves: 'message: the route keeps its shape and loses its id (POST /api/orders/123 → POST /api/orders/:id)',
    basis: 'message',
    a: report("TypeError: Cannot read properties of undefined (reading 'id') in `checkout` on POST /api/orders/123"),
    b: report(
      "TypeError: Cannot read properties of undefined (reading 'id')\ncomponent: checkout\nPOST /api/orders/98765?retry=2 request_id=req_8f3k2j1a",
    ),
  },
  {
    proves: 'message: other IP addresses and ports',
    basis: 'message',
    a: report('Error: connect ECONNREFUSED 10.0.3.7:5432'),
    b: report('Error: connect ECONNREFUSED 10.0.9.114:6432'),
  },
  {
    proves: 'message: numbers with and without decimals',
    basis: 'message',
    a: report('PayloadTooLargeError: request entity too large (limit 1.5mb, got 2mb)'),
    b: report('PayloadTooLargeError: request entity too large (limit 10mb, got 12.25mb)'),
  },
  {
    proves: 'message: UUIDs and timestamps in the message',
    basis: 'message',
    a: report('OrderNotFoundError: order 3f2a1b9c-1d2e-4f5a-8b6c-7d8e9f0a1b2c not found at 2024-05-01T12:00:03.123Z'),
    b: report('OrderNotFoundError: order 0D9E8F7A-6B5C-4D3E-9F1A-2B3C4D5E6F70 not found at 2024-06-11T23:59:59Z'),
  },
  {
    proves: 'message: temp paths on Linux, macOS and Windows',
    basis: 'message',
    a: report("Error: ENOENT: no such file or directory, open '/tmp/upload-8f3a2k/receipt.pdf'"),
    b: report(
      "Error: ENOENT: no such file or directory, open 'C:\\Users\\bob\\AppData\\Local\\Temp\\upload-77\\receipt.pdf'",
    ),
  },
  {
    proves: 'message: temp paths under /var/folders (macOS) too',
    basis: 'message',
    a: report("Error: ENOENT: no such file or directory, open '/tmp/upload-8f3a2k/receipt.pdf'"),
    b: report("Error: ENOENT: no such file or directory, open '/var/folders/xy/k2j1/T/upload-1/receipt.pdf'"),
  },
  {
    proves: 'message: a file path under another deploy root keys on the file name',
    basis: 'message',
    a: report("Error: EACCES: permission denied, open '/app/config/prices.json'"),
    b: report("Error: EACCES: permission denied, open '/srv/shop/current/config/prices.json'"),
  },
  {
    proves: 'message: the error line in the title or in the description, and another title, is the same',
    basis: 'message',
    a: { title: "ValueError: invalid literal for int() with base 10: 'abc'", description: 'happens on import' },
    b: report("we get\n`ValueError: invalid literal for int() with base 10: 'abc'`", 'Import fails'),
  },
  {
    proves: 'message: hex ids and addresses in the message',
    basis: 'message',
    a: report('WorkerCrashedError: worker 0x7f1c2c3e8ed8 (job a1b2c3d4e5f6) exited'),
    b: report('WorkerCrashedError: worker 0x7f00deadbeef (job 99aa88bb77cc) exited'),
  },
];

const MUST_NOT_COLLIDE: Pair[] = [
  {
    proves: 'node: a different exception type from the same frames',
    basis: 'stack',
    a: report(nodeTrace({})),
    b: report(nodeTrace({ type: 'RangeError', message: 'Invalid array length' })),
  },
  {
    proves: 'node: the same type thrown from a different app function',
    basis: 'stack',
    a: report(nodeTrace({ thrower: 'createOrder' })),
    b: report(nodeTrace({ thrower: 'updateOrder' })),
  },
  {
    proves: 'node: only dependency frames, from different packages (used because nothing else is there)',
    basis: 'stack',
    a: report(
      'Error: Connection terminated unexpectedly\n' +
        '    at Connection.<anonymous> (/app/node_modules/pg/lib/client.js:132:73)\n' +
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ),
    b: report(
      'Error: Connection terminated unexpectedly\n' +
        '    at Connection.<anonymous> (/app/node_modules/mysql2/lib/connection.js:132:73)\n' +
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ),
  },
  {
    proves: 'python: a different exception type from the same frames',
    basis: 'stack',
    a: report(pythonTrace({})),
    b: report(pythonTrace({ type: 'IndexError', message: 'list index out of range' })),
  },
  {
    proves: 'python: the same type raised in a different function',
    basis: 'stack',
    a: report(pythonTrace({ fn: 'place' })),
    b: report(pythonTrace({ fn: 'refund' })),
  },
  {
    proves: 'java: a different exception type from the same frames',
    basis: 'stack',
    a: report(javaTrace({})),
    b: report(javaTrace({ type: 'java.lang.IllegalArgumentException' })),
  },
  {
    proves: 'java: the same root cause type thrown from a different app class',
    basis: 'stack',
    a: report(springTrace({ proxy: '1a2b3c4d', lambda: 0, more: 48 })),
    b: report(springTrace({ proxy: '1a2b3c4d', lambda: 0, more: 48, mailer: 'InvoiceMailer' })),
  },
  {
    proves: 'go: a different panic in the same function',
    basis: 'stack',
    a: report(goTrace({})),
    b: report(goTrace({ panic: 'runtime error: index out of range [5] with length 3' })),
  },
  {
    proves: 'go: the same panic in a different function',
    basis: 'stack',
    a: report(goTrace({ fn: 'Place' })),
    b: report(goTrace({ fn: 'Cancel' })),
  },
  {
    proves: 'message: different messages of the same type',
    basis: 'message',
    a: report("TypeError: Cannot read properties of undefined (reading 'id')"),
    b: report("TypeError: Cannot read properties of undefined (reading 'total')"),
  },
  {
    proves: 'message: the same message on a different route',
    basis: 'message',
    a: report("TypeError: Cannot read properties of undefined (reading 'id')\nPOST /api/orders/123"),
    b: report("TypeError: Cannot read properties of undefined (reading 'id')\nPOST /api/refunds/123"),
  },
  {
    proves: 'message: the same message in a different component',
    basis: 'message',
    a: report("TypeError: Cannot read properties of undefined (reading 'id') in `checkout`"),
    b: report("TypeError: Cannot read properties of undefined (reading 'id') in `wishlist`"),
  },
  {
    proves: 'message: the same words with a different type',
    basis: 'message',
    a: report('ConnectionError: upstream closed the connection'),
    b: report('TimeoutError: upstream closed the connection'),
  },
];

const NO_FINGERPRINT: { proves: string; text: Report }[] = [
  { proves: 'a bare title', text: { title: 'Checkout is broken', description: 'Checkout is broken' } },
  { proves: 'ordinary prose', text: report('the page is slow since this morning, please look', 'the page is slow') },
  { proves: 'a single word', text: { title: 'broken', description: '' } },
  { proves: 'an exception name alone is a single word too', text: { title: 'TypeError', description: 'TypeError' } },
  { proves: 'a plain "Error:" prefix on prose', text: { title: 'Error: login is broken', description: '' } },
  { proves: 'an exception named in a sentence', text: report('It crashed with a TypeError when I pressed Pay') },
  { proves: 'empty text', text: { title: '', description: '' } },
  {
    proves: 'steps to reproduce',
    text: report('Steps:\n1. Open /cart\n2. Click Pay\nExpected: receipt\nActual: nothing'),
  },
  {
    proves: 'prose lines starting with "at" are not frames',
    text: report('Look at the logs\nat noon (12:30) it failed\nat home (tonight) it worked'),
  },
  {
    proves: 'runtime frames only, with no exception type',
    text: report('    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)'),
  },
  {
    proves: 'a Slack link and mention are not an error',
    text: report('<@U0ALICE> see <https://shop.example.com/cart|cart>'),
  },
];

// ---- The tests ----------------------------------------------------------------------------------------------------

describe('fingerprintReport', () => {
  it('has at least 30 table rows', () => {
    expect(MUST_COLLIDE.length + MUST_NOT_COLLIDE.length + NO_FINGERPRINT.length).toBeGreaterThanOrEqual(30);
  });

  it.each(MUST_COLLIDE)('must collide: $proves', ({ basis, a, b }) => {
    const first = fp(a);
    const second = fp(b);
    expect(first?.basis).toBe(basis);
    expect(second?.signature).toBe(first?.signature);
    expect(second?.fingerprint).toBe(first?.fingerprint);
  });

  it.each(MUST_NOT_COLLIDE)('must not collide: $proves', ({ basis, a, b }) => {
    const first = fp(a);
    const second = fp(b);
    expect(first?.basis).toBe(basis);
    expect(second?.basis).toBe(basis);
    expect(second?.fingerprint).not.toBe(first?.fingerprint);
  });

  it.each(NO_FINGERPRINT)('no fingerprint: $proves', ({ text }) => {
    expect(fingerprintReport(text)).toBeNull();
  });

  it('is a versioned sha256 hex and the same on every call', () => {
    const result = fp(report(nodeTrace({})));
    expect(result?.fingerprint).toMatch(new RegExp(`^${FINGERPRINT_VERSION}:[0-9a-f]{64}$`));
    expect(fp(report(nodeTrace({})))).toEqual(result);
  });

  it('signs a stack with the exception type and the app frames nearest the throw, module:function', () => {
    expect(fp(report(nodeTrace({})))?.signature).toBe('js | TypeError | create-order:createOrder > checkout:checkout');
    expect(fp(report(pythonTrace({})))?.signature).toBe('python | KeyError | orders:place > views:create_order');
    expect(fp(report(springTrace({ proxy: 'ab12cd34', lambda: 0, more: 1 })))?.signature).toBe(
      'java | java.lang.NullPointerException | com.acme.shop.mail.ReceiptMailer.send > ' +
        'com.acme.shop.orders.OrderService.lambda$place$n > com.acme.shop.orders.OrderService.place',
    );
    expect(fp(report(goTrace({})))?.signature).toBe(
      'go | panic: runtime error: invalid memory address or nil pointer dereference | ' +
        'github.com/acme/shop/internal/orders.(*Service).Place > github.com/acme/shop/internal/http.(*Handler).CreateOrder',
    );
  });

  it('signs a message with the normalised error, the component and the route', () => {
    expect(
      fp(report("TypeError: Cannot read properties of undefined (reading 'id') in `checkout` / POST /api/orders/123"))
        ?.signature,
    ).toBe(
      "TypeError: Cannot read properties of undefined (reading 'id') | component=checkout | route=POST /api/orders/:id",
    );
  });

  it('uses dependency frames when there is nothing else, keyed on the package, not its version', () => {
    const signature = fp(
      report(
        'Error: Connection terminated unexpectedly\n' +
          '    at Connection.<anonymous> (/srv/app/node_modules/.pnpm/pg@8.11.3/node_modules/pg/lib/client.js:132:73)',
      ),
    )?.signature;
    expect(signature).toBe('js | Error | pg:Connection.<anonymous>');
  });

  it(`keeps at most ${SIGNATURE_FRAMES} frames, nearest the throw first`, () => {
    const frames = Array.from(
      { length: 12 },
      (_, i) => `    at step${'abcdefghijkl'[i]} (/app/src/steps.js:${i + 1}:1)`,
    );
    const signature = fp(report(`Error [ERR_STEP]: step failed\n${frames.join('\n')}`))?.signature ?? '';
    expect(signature).toBe(
      'js | Error [ERR_STEP] | steps:stepa > steps:stepb > steps:stepc > steps:stepd > steps:stepe',
    );
  });

  it('keys on the trace when the text has one, even if a message would also do', () => {
    expect(fp(report(`${nodeTrace({})}\nPOST /api/orders/12`))?.basis).toBe('stack');
  });
});

describe('fingerprintReport on adversarial input', () => {
  const SIZE = 40_000;
  const inputs: Record<string, string> = {
    'at repeated': 'at '.repeat(SIZE / 3),
    'at lines': 'at \n'.repeat(SIZE / 4),
    'frame lines': '    at f (/a/b.js:1:1)\n'.repeat(SIZE / 23),
    'File " repeated': 'File "'.repeat(SIZE / 6),
    'File " lines': 'File "\n'.repeat(SIZE / 7),
    'Traceback lines': 'Traceback (most recent call last):\n'.repeat(SIZE / 35),
    'hex run': 'deadbeef0123'.repeat(SIZE / 12),
    'hex tokens': '0x1f '.repeat(SIZE / 5),
    '< run': '<'.repeat(SIZE),
    '<http run': '<http://'.repeat(SIZE / 8),
    '&lt; run': '&lt;'.repeat(SIZE / 4),
    'exception names': 'TypeError '.repeat(SIZE / 10),
    'goroutine dump': 'goroutine 1 [running]:\nmain.f(0x1)\n\t/a/b.go:1 +0x1\n'.repeat(SIZE / 48),
    paths: ' /a/b/c.js'.repeat(SIZE / 10),
    'one long line': `TypeError: ${'x'.repeat(SIZE)}`,
  };

  it.each(Object.entries(inputs))('%s finishes in well under 50 ms (best of 3)', (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(SIZE - 50);
    expect(bestCpuMs(() => fingerprintReport({ title: 'adversarial', description: text }))).toBeLessThan(50);
  });
});
