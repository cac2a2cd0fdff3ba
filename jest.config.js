/** @type {import('jest').Config} */
const transform = { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] };
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/*.test.ts"],
    },
    {
      displayName: "terraform",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/terraform/*.test.ts"],
    },
  ],
};
