import Link from "next/link";

/** The same page for a missing object and another realm's object. */
export default function NotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">There is nothing here, or it is not yours to see.</p>
      <Link href="/" className="mt-6 inline-block text-sm text-slate-900 underline">
        Back to your realm
      </Link>
    </div>
  );
}

export const metadata = { title: "Not found" };
