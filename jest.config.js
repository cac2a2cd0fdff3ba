/** @type {import('jest').Config} */
const transform = { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] };
module.exports = {
  // the terraform suites wait on terraform processes much of the time: two workers on two cores
  maxWorkers: 2,
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
