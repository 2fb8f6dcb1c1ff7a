// Who is asking: the signed-in user behind a request, or the operator at the CLI (an admin).
import { USER_ROLE, type UserRole } from "../core/status";

export type Actor = { id: number; username: string; role: UserRole };

export const isAdmin = (a: Actor) => a.role === USER_ROLE.admin;
