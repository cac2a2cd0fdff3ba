// Lint config (STYLE habit 10): ESLint's and typescript-eslint's recommended rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // a user's own .ts config in the repository root is theirs: npm test does not lint it
  { ignores: ["node_modules/", "dist/", "cdktf.out", "cdktf.out/", ".cdktf.out.*/", "coverage/", ".gen/", "**/*.d.ts", "*.ts", "!main.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // one door to CDKTF and its AWS bindings (modules/private/cdk.ts), so the move to cdktn is a rename there
    files: ["modules/**/*.ts", "scripts/**/*.ts", "main.ts"],
    ignores: ["modules/private/cdk.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "cdktf", message: "import it from modules/private/cdk.ts" }],
          patterns: [{ group: ["@cdktf/provider-aws", "@cdktf/provider-aws/*"], message: "import it from modules/private/cdk.ts" }],
        },
      ],
    },
  },
  {
    // tests and scripts read untyped JSON (synthesized stacks, plans): `any` is the honest type there
    files: ["test/**/*.ts", "scripts/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["bench/**/*.cjs", "*.js"],
    languageOptions: { globals: { require: "readonly", process: "readonly", module: "writable", __dirname: "readonly" }, sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
