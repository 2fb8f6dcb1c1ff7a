// Refusals in the reader's language: an AppError thrown with keyed words keeps its English message
// word for word (what the API and /v1 say) and renders in Chinese through errorText; zod issues get
// the schema's own words when the catalog knows them (recognised), else a plain rendering of zod's
// issue code, while the English message stays zod's.
import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { fillTemplate, templateParams } from "../../src/core/message-template";
import { AppError, conflict, invalidField, keyed, notFound, renderText } from "../../src/errors";
import { EN, translator } from "../../src/i18n";
import { en } from "../../src/i18n/en";
import { errorText, recognised } from "../../src/i18n/errors";
import { ChannelCreate } from "../../src/services/channel-schema";
import { TokenCreate } from "../../src/services/token-schema";
import { validate } from "../../src/services/validate";

const ZH = translator("zh-CN");

/** The refusal `run` throws. */
function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("nothing was thrown");
}

describe("errorText", () => {
  test("keyed words: the English message as the API always said it; Chinese for a zh-CN reader", () => {
    const taken = conflict(keyed("error.token.nameTaken", { name: "bot" }));
    expect(taken.message).toBe('a token named "bot" already exists');
    expect(errorText(taken, EN)).toBe(taken.message);
    expect(errorText(taken, ZH)).toBe('名为 "bot" 的令牌已存在');
    // numbers (ids, limits) are written as they are, in every language
    const missing = notFound(keyed("error.token.notFound", { id: 12345 }));
    expect(missing.message).toBe("token 12345 not found");
    expect(errorText(missing, ZH)).toBe("令牌 12345 不存在");
  });

  test("a field's problem is keyed too: the field name stays, the problem is translated", () => {
    const e = invalidField("expired_time", keyed("error.token.expiry"));
    expect(e.message).toBe("expired_time: must be -1 (never) or a unix time in the future");
    expect(errorText(e, ZH)).toBe("expired_time：必须是 -1（永不过期）或将来的 Unix 时间");
    // a plain problem is shown as it was said, after the translated frame
    expect(errorText(invalidField("quota", "as typed"), ZH)).toBe("quota：as typed");
  });

  test("an error without keyed words is shown as it was said, in every language", () => {
    const plain = new AppError(400, "invalid_request", "something plain");
    expect(errorText(plain, ZH)).toBe("something plain");
    expect(notFound("thing 3").message).toBe("thing 3 not found");
  });
});

describe("zod issues", () => {
  test("a schema's own words: English as the schema says them, Chinese from the catalog", () => {
    const empty = thrown(() => validate(TokenCreate, { name: "  " }));
    expect(empty.message).toBe("name: must not be empty");
    expect(errorText(empty, ZH)).toBe("name：不能为空");
    const link = thrown(() =>
      validate(ChannelCreate, { name: "a", base_url: "https://169.254.169.254", key: "k", models: "m" }),
    );
    expect(link.message).toBe(
      "base_url: must not point at a link-local or cloud-metadata address (169.254.169.254 is link-local (169.254.0.0/16, where cloud metadata services answer)); loopback and private addresses are allowed",
    );
    // the reason inside ({why}) is recognised in turn
    expect(errorText(link, ZH)).toBe(
      "base_url：不能指向链路本地或云元数据地址（169.254.169.254 是链路本地地址（169.254.0.0/16，云元数据服务在此应答））；回环地址和私有地址可以使用",
    );
  });

  test("zod's own issues: the English message stays zod's, other languages get the issue code's words", () => {
    const cases: [z.ZodType, unknown, string, string][] = [
      [
        TokenCreate,
        { name: "a", remain_quota: -1 },
        "remain_quota: Too small: expected number to be >=0",
        "remain_quota：不能小于 0",
      ],
      [z.object({ n: z.number().positive() }), { n: 0 }, "n: Too small: expected number to be >0", "n：必须大于 0"],
      [
        z.object({ s: z.string().max(2) }),
        { s: "abc" },
        "s: Too big: expected string to have <=2 characters",
        "s：最多 2 个字符",
      ],
      [
        z.object({ a: z.array(z.string()).min(1) }),
        { a: [] },
        "a: Too small: expected array to have >=1 items",
        "a：至少 1 项",
      ],
      [
        z.object({ n: z.number() }),
        { n: "x" },
        "n: Invalid input: expected number, received string",
        "n：类型应为 number",
      ],
      [z.object({ n: z.number() }), {}, "n: Invalid input: expected number, received undefined", "n：必填"],
      [
        z.object({ e: z.enum(["a", "b"]) }),
        { e: "c" },
        'e: Invalid option: expected one of "a"|"b"',
        'e：必须是以下之一："a", "b"',
      ],
      [
        z.object({ r: z.string().regex(/^a$/) }),
        { r: "b" },
        "r: Invalid string: must match pattern /^a$/",
        "r：格式不正确",
      ],
      [z.object({}).strict(), { x: 1 }, 'body: Unrecognized key: "x"', "body：未知的字段：x"],
    ];
    for (const [schema, input, english, chinese] of cases) {
      const e = thrown(() => validate(schema, input));
      expect([e.message, errorText(e, EN), errorText(e, ZH)]).toEqual([english, english, chinese]);
    }
  });

  test("every schema template is recognised as itself, the most specific one winning", () => {
    const templates = Object.entries(en).filter(([key]) => key.startsWith("error.v."));
    expect(templates.length).toBeGreaterThan(50);
    for (const [key, template] of templates) {
      const values = Object.fromEntries(templateParams(template).map((name, i) => [name, `${name}-${i}`]));
      const said = fillTemplate(template, values);
      const known = recognised(said);
      expect([said, typeof known === "string" ? known : known.key]).toEqual([said, key]);
      expect(renderText(known)).toBe(said); // the English comes back word for word
    }
    expect(recognised("at most 100 characters")).toEqual({ key: "error.v.maxChars", params: { max: "100" } });
    expect(recognised("no template says this")).toBe("no template says this");
  });
});
