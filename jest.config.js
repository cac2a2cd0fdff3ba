/** @type {import('jest').Config} */
const transform = { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] };
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
