"use client";

import { apiKeyClient } from "@better-auth/api-key/client";
import { createAuthClient } from "better-auth/react";

/** better-auth in the browser: sign-in, sign-up, sign-out and API tokens, against /api/auth. */
export const authClient = createAuthClient({ plugins: [apiKeyClient()] });
