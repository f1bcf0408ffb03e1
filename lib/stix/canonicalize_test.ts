import assert from "node:assert/strict";
import fc from "fast-check";
import { canonicalize } from "./canonicalize.ts";
import { StixError } from "./errors.ts";

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text. */
const RFC8785_NUMBERS: ReadonlyArray<readonly [string, string]> = [
  ["0000000000000000", "0"],
  ["8000000000000000", "0"],
  ["0000000000000001", "5e-324"],
  ["8000000000000001", "-5e-324"],
  ["7fefffffffffffff", "1.7976931348623157e+308"],
  ["ffefffffffffffff", "-1.7976931348623157e+308"],
  ["4340000000000000", "9007199254740992"],
  ["c340000000000000", "-9007199254740992"],
  ["4430000000000000", "295147905179352830000"],
  ["44b52d02c7e14af5", "9.999999999999997e+22"],
  ["44b52d02c7e14af6", "1e+23"],
  ["44b52d02c7e14af7", "1.0000000000000001e+23"],
  ["444b1ae4d6e2ef4e", "999999999999999700000"],
  ["444b1ae4d6e2ef4f", "999999999999999900000"],
  ["444b1ae4d6e2ef50", "1e+21"],
  ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
  ["3eb0c6f7a0b5ed8d", "0.000001"],
  ["41b3de4355555553", "333333333.3333332"],
  ["41b3de4355555554", "333333333.33333325"],
  ["41b3de4355555555", "333333333.3333333"],
  ["41b3de4355555556", "333333333.3333334"],
  ["41b3de4355555557", "333333333.33333343"],
  ["becbf647612f3696", "-0.0000033333333333333333"],
  ["43143ff3c1cb0959", "1424953923781206.2"],
];

Deno.test("canonicalize() prints RFC 8785's number samples exactly", () => {
  for (const [bits, expected] of RFC8785_NUMBERS) {
    assert.equal(canonicalize(fromBits(bits)), expected, `bits ${bits}`);
  }
});

Deno.test("canonicalize() reproduces RFC 8785's worked example", () => {
  const input = {
    numbers: [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    string: "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    literals: [null, true, false],
  };
  assert.equal(
    canonicalize(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

Deno.test("canonicalize() sorts keys by UTF-16 code units as RFC 8785 §3.2.3 shows", () => {
  const input = {
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis",
  };
  const values = [...canonicalize(input).matchAll(/:"([^"]+)"/g)].map((match) => match[1]);
  assert.deepEqual(values, [
    "Carriage Return",
    "One",
    "Control",
    "Latin Small Letter O With Diaeresis",
    "Euro Sign",
    "Emoji: Grinning Face",
    "Hebrew Letter Dalet With Dagesh",
  ]);
});

Deno.test("canonicalize() leaves non-ASCII unescaped and escapes control characters in lower-case hex", () => {
  assert.equal(canonicalize({ name: "café" }), '{"name":"café"}');
  assert.equal(
    canonicalize("\u0000\u0008\u0009\u000a\u000c\u000d\u001f"),
    '"\\u0000\\b\\t\\n\\f\\r\\u001f"',
  );
  assert.equal(canonicalize("\u007f\u2028😀"), '"\u007f\u2028😀"');
});

Deno.test("canonicalize() refuses NaN and Infinity with a clear error", () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => canonicalize({ score: [1, bad] }),
      (error: unknown) =>
        error instanceof StixError && error.message.includes(String(bad)) &&
        error.message.includes("$.score[1]"),
    );
  }
});

Deno.test("canonicalize() refuses lone surrogates and values JSON cannot hold", () => {
  assert.throws(() => canonicalize({ value: "a\ud800b" }), /lone UTF-16 surrogate/);
  assert.throws(() => canonicalize({ ["\udc00"]: 1 }), /lone UTF-16 surrogate/);
  assert.throws(() => canonicalize(10n), /type "bigint"/);
  assert.throws(() => canonicalize([undefined]), /type "undefined"/);
  assert.throws(() => canonicalize(() => 1), /type "function"/);
});

Deno.test("canonicalize() drops undefined members and honours toJSON like JSON.stringify", () => {
  assert.equal(
    canonicalize({ b: undefined, a: new Date("2022-11-25T19:00:05Z") }),
    '{"a":"2022-11-25T19:00:05.000Z"}',
  );
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]),
    );
  }
  return value;
}

Deno.test("canonicalize() output does not depend on key insertion order", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.equal(canonicalize(reverseKeys(value)), canonicalize(value));
    }),
  );
});

Deno.test("canonicalize() output parses back to the same JSON value", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.deepStrictEqual(JSON.parse(canonicalize(value)), JSON.parse(JSON.stringify(value)));
    }),
  );
});

Deno.test("canonicalize() has no whitespace outside strings", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const outside = canonicalize(value).replace(/"(?:[^"\\]|\\.)*"/g, "");
      assert.doesNotMatch(outside, /\s/);
    }),
  );
});

Deno.test("canonicalize() keeps any non-ASCII or printable text verbatim", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const printable = [...text].filter((char) => char >= " " && char !== '"' && char !== "\\")
        .join("");
      assert.equal(canonicalize(printable), `"${printable}"`);
      assert.equal(JSON.parse(canonicalize(text)), text);
    }),
  );
});

Deno.test("canonicalize() escapes exactly quote, backslash and control characters", () => {
  const expected = (char: string): string => {
    const short: Record<string, string> = {
      "\b": "\\b",
      "\t": "\\t",
      "\n": "\\n",
      "\f": "\\f",
      "\r": "\\r",
      '"': '\\"',
      "\\": "\\\\",
    };
    if (short[char]) return short[char];
    const code = char.charCodeAt(0);
    return code < 0x20 ? `\\u${code.toString(16).padStart(4, "0")}` : char;
  };
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const body = [...text].map(expected).join("");
      assert.equal(canonicalize(text), `"${body}"`);
    }),
  );
});

Deno.test("canonicalize() writes every finite double in shortest round-tripping form", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (number) => {
      const text = canonicalize(number);
      assert.equal(text, Object.is(number, -0) ? "0" : String(number));
      assert.equal(Number(text), number === 0 ? 0 : number);
      assert.doesNotMatch(text, /^-?0\d|\.\d*0(e|$)|E/);
    }),
  );
});
