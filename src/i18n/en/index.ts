// The console's English messages: the reference catalog, one module per area of the console, spread
// into one object here. Every other language is one JSON file (zh-CN.json) checked against this one
// (a key missing there is a type error); ../index.ts lists the languages.
// Templates name their parameters in braces ("Page {page} of {pages}"); the translator fills them
// (numbers grouped in the reader's locale). Never build a sentence by concatenating pieces.
//
// Glossary (the terms API易 and new-api users know; keep every language consistent):
//   token 令牌 · group 分组 · multiplier 倍率 · quota 额度 · balance 余额 · channel 渠道
//   usage billing 按量计费 · per-call billing 按次计费 · logs 日志 · redemption code 兑换码
//   top up 充值 · model 模型 · key 密钥 · rate limit 速率限制 · dashboard 仪表盘 · pricing 价格
//   user 用户 · settings 设置 · time zone 时区 · currency 货币
import { enAdminA } from "./admin-a";
import { enAdminB } from "./admin-b";
import { enBase } from "./base";
import { enDisplay } from "./display";
import { enErrors } from "./errors";
import { enUser } from "./user";
import { enVideos } from "./videos";

export const en = { ...enBase, ...enErrors, ...enUser, ...enAdminA, ...enAdminB, ...enDisplay, ...enVideos } as const;
