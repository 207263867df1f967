"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth/client";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button button-quiet button-small"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await authClient.signOut();
        // A full page load drops everything this session rendered or cached.
        window.location.assign("/sign-in");
      }}
    >
      Sign out
    </button>
  );
}
