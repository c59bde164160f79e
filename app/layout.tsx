import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/layout/app-header";
import { TableLabels } from "@/components/layout/table-labels";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  // Each page names itself (`export const metadata = { title: "…" }`); the tab then reads "VMs · Realmgate".
  title: { default: "Realmgate", template: "%s · Realmgate" },
  description: "Multi-tenant control plane for Xen hosts with XSM/FLASK realm isolation",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {/* The first focusable element of every page: keyboard users skip the header's links. */}
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        <Providers>
          <AppHeader />
          <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-8 focus:outline-none sm:px-6">
            {children}
          </main>
          <TableLabels />
        </Providers>
      </body>
    </html>
  );
}
