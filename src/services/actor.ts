// Who is asking: the signed-in user behind a request, or the operator at the CLI (an admin).
export type Actor = { id: number; username: string; role: "admin" | "user" };

export const isAdmin = (a: Actor) => a.role === "admin";
