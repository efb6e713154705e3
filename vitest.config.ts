import { defineConfig } from "vitest/config";

// Two projects: fast tests with no server, and integration tests against the mail lab (real Postfix and
// Dovecot on 127.0.0.1), which a global setup starts and which fails the run loudly when it cannot.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "test/unit/**/*.test.ts",
            "test/store/**/*.test.ts",
            "test/cli/**/*.test.ts",
            "test/app/**/*.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
