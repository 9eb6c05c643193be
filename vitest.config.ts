import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The JSON summary lets CI print one plain "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "out/vitest-results.json" }]],
  },
});
