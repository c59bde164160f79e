import { SignInForm } from "@/components/layout/sign-in-form";

export default function SignInPage() {
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <h1 className="mb-6 text-2xl font-semibold">Sign in to Realmgate</h1>
      <SignInForm />
    </div>
  );
}
