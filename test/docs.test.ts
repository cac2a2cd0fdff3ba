/** The README and help stay true: their commands exist and their example is the real one. */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateConfig } from "../modules/config/load";
import { ROOT } from "./support/synth";

const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const scripts = Object.keys(JSON.parse(read("package.json")).scripts);

describe("docs", () => {
  test.each(["help", "README.md"])("every `npm run X` in %s is a script of package.json", (file) => {
    const used = [...read(file).matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const s of used) expect(scripts).toContain(s);
  });

  test("the README's full config example is config/example.json and is valid", () => {
    const readme = read("README.md");
    const block = /The full example,[^]*?:\n\n```json\n([^]*?)\n```/.exec(readme);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1])).toEqual(JSON.parse(read("config/example.json")));
    expect(() => validateConfig(JSON.parse(block![1]))).not.toThrow();
  });

  test("the README's construct fragments are valid pieces of a config", () => {
    const readme = read("README.md");
    const app = JSON.parse(/### `KinesisApp`[^]*?```json\n([^]*?)\n```/.exec(readme)![1]);
    const base = JSON.parse(read("config/example.json"));
    base.kinesis.applications = Array.isArray(app) ? app : [app];
    expect(base.kinesis.applications.length).toBeGreaterThan(0);
    expect(() => validateConfig(base)).not.toThrow();
  });

  test("the environment variables in help are the ones the code reads", () => {
    const help = read("help");
    const code = [read("modules/config/load.ts"), read("test/support/terraform.ts"), read("main.ts"), read("modules/stacks/cli.ts")].join("\n");
    for (const v of ["SNOWPLOW_IAC_CONFIG", "SNOWPLOW_IAC_TF_MIRROR", "SNOWPLOW_IAC_DEBUG"]) {
      expect(help).toContain(v);
      expect(code).toContain(v);
    }
  });

  test("the workflows use only well-known actions and the project's own commands", () => {
    for (const file of ["iam-review.yml", "apply.yml", "apply-stack.yml"]) {
      const wf = read(`.github/workflows/${file}`);
      const uses = [...wf.matchAll(/uses: ([\w-]+\/[\w-]+)@v\d+/g)].map((m) => m[1]);
      for (const u of uses) {
        expect([file, u]).toEqual([
          file,
          expect.stringMatching(
            /^(actions\/checkout|actions\/setup-node|actions\/upload-artifact|actions\/download-artifact|actions\/github-script|hashicorp\/setup-terraform|aws-actions\/configure-aws-credentials)$/,
          ),
        ]);
      }
    }
    const wf = read(".github/workflows/iam-review.yml");
    expect(wf).toContain("npm run -s review -- --plan-dir plans --out review.md");
    expect(wf).toContain("npm ci");
    expect(wf).toContain('terraform show -json plan.bin > "$GITHUB_WORKSPACE/plans/${{ matrix.stack }}/plan.json"');
    expect(wf).toContain("iam-broadening-approved");
  });
});
