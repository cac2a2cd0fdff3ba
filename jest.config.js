/** @type {import('jest').Config} */
const transform = { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }] };
// after each test file, the temporary folders its tests made (test/support/temp.ts)
const setupFilesAfterEnv = ["<rootDir>/test/support/cleanup.ts"];
module.exports = {
  // the terraform suites wait on terraform processes much of the time: two workers on two cores
  maxWorkers: 2,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      setupFilesAfterEnv,
      testMatch: ["<rootDir>/test/*.test.ts"],
    },
    {
      displayName: "terraform",
      testEnvironment: "node",
      transform,
      setupFilesAfterEnv,
      testMatch: ["<rootDir>/test/terraform/*.test.ts"],
    },
  ],
};
