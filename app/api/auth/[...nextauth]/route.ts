import NextAuth from "next-auth";
import { clientAddress } from "@/server/auth/client-address";
import { authOptions } from "@/server/auth/options";
import { signInThrottle, throttleCredentialsSignIn } from "@/server/auth/throttle";
import { platformDb } from "@/server/db/client";

const handler = NextAuth(authOptions);

type RouteContext = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's routes. The credentials callback (password sign-in) is throttled per account and
 * per client address before next-auth runs (server/auth/throttle.ts): 429 + Retry-After.
 */
async function POST(req: Request, context: RouteContext): Promise<Response> {
  const { nextauth } = await context.params;
  if (nextauth.join("/") !== "callback/credentials") return handler(req, context);
  return throttleCredentialsSignIn(
    req,
    { throttle: signInThrottle(platformDb), address: clientAddress(req.headers), origin: new URL(process.env.NEXTAUTH_URL ?? req.url).origin },
    () => handler(req, context),
  );
}

export { handler as GET, POST };
