import { describe, expect, it } from "vitest";
import { decideOidcSignIn } from "./oidc";

const alice = { id: "u-alice", email: "alice@acme.test", name: "Alice", sessionEpoch: 3 };
const mallory = { id: "u-mallory", email: "mallory@acme.test", name: "Mallory", sessionEpoch: 0 };

describe("decideOidcSignIn", () => {
  it("an unverified OIDC email is refused, even when it names an existing user", () => {
    for (const email_verified of [false, undefined, "true", 1 as unknown as boolean]) {
      expect(decideOidcSignIn({ email: alice.email, email_verified }, null, alice)).toMatchObject({ kind: "refuse", error: "UnverifiedEmail" });
    }
  });

  it("a verified email of an existing user links it", () => {
    expect(decideOidcSignIn({ email: alice.email, email_verified: true }, null, alice)).toMatchObject({ kind: "signin", user: alice, link: true });
  });

  it("a verified email without an account is refused (accounts come by invitation)", () => {
    expect(decideOidcSignIn({ email: "new@acme.test", email_verified: true }, null, null)).toMatchObject({ kind: "refuse", error: "NoAccount" });
  });

  it("a linked subject signs in as its linked user whatever its email claims now", () => {
    expect(decideOidcSignIn({ email: mallory.email, email_verified: true }, alice, mallory)).toMatchObject({ kind: "signin", user: alice, link: false });
    expect(decideOidcSignIn({ email: "changed@elsewhere.test", email_verified: false }, alice, null)).toMatchObject({ kind: "signin", user: alice });
  });

  it("verified without an email claim is refused", () => {
    expect(decideOidcSignIn({ email_verified: true }, null, null)).toMatchObject({ kind: "refuse", error: "UnverifiedEmail" });
  });
});
