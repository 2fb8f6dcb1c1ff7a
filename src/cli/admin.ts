// `apiyi admin create` and `apiyi admin reset-password`: account rescue from the terminal.
import { USER_ROLE } from "../core/status";
import { createUser, resetPassword } from "../services/users";
import { type Command, requireFlag } from "./args";
import { DATA_HELP, DATA_OPTIONS, withData } from "./open";

export const adminCreate: Command = {
  name: "admin create",
  summary: "Create an admin user.",
  usage: "--username U --password P [--data-dir DIR]",
  options: { username: { type: "string" }, password: { type: "string" }, ...DATA_OPTIONS },
  help: ["  --username U     3–32 letters, digits, _ . -", "  --password P     at least 8 characters", DATA_HELP],
  async run(flags) {
    const username = requireFlag(flags, "username");
    const password = requireFlag(flags, "password");
    await withData(flags, async (ctx) => {
      const user = await createUser(ctx, { username, password, role: USER_ROLE.admin }, { unlimited: true });
      console.log(`admin "${user.username}" created (id ${user.id})`);
    });
  },
};

export const adminResetPassword: Command = {
  name: "admin reset-password",
  summary: "Give a user a new random password (printed) and sign out their sessions.",
  usage: "--username U [--data-dir DIR]",
  options: { username: { type: "string" }, ...DATA_OPTIONS },
  help: [DATA_HELP],
  async run(flags) {
    const username = requireFlag(flags, "username");
    await withData(flags, async (ctx) => {
      console.log(await resetPassword(ctx, username));
    });
  },
};
