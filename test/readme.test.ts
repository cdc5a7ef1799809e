import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { DEPLOY_TIME_ONLY, SETTING_NAMES, WORKSHOP_DEFAULTS } from '../lambda/core/experiment/settings';

const ROOT = path.join(__dirname, '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const scripts = packageJson.scripts as Record<string, string>;

/** The fenced block under "## Architecture": one module (or a list of sibling modules) per entry. */
function architectureBlock(): string {
  const section = readme.slice(readme.indexOf('## Architecture'));
  return /```\n([\s\S]*?)```/.exec(section)![1];
}

/** The rows of the table under "## Settings": setting name, default and meaning as written. */
function settingsTable(): Array<{ name: string; defaultText: string; meaning: string }> {
  const section = readme.slice(readme.indexOf('## Settings'), readme.indexOf('\n## ', readme.indexOf('## Settings') + 1));
  return [...section.matchAll(/^\| `(\w+)` \| (.*?) \| (.*) \|$/gm)].map(([, name, defaultText, meaning]) => ({
    name,
    defaultText,
    meaning,
  }));
}

/** Set at deploy time besides the settings (lib/config.ts StackOptions), and listed in the same table. */
const STACK_OPTIONS = ['retainData'];

describe('README', () => {
  it('shows only npm scripts that package.json defines', () => {
    const used = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((match) => match[1]);
    expect(used.length).toBeGreaterThan(0);
    expect([...new Set(used)].filter((script) => !(script in scripts))).toEqual([]);
  });

  it('runs the same test command as CI', () => {
    expect(readme).toContain('npm ci && npm test');
    expect(readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/npm ci\nnpm test\n/);
  });

  it('states the Node.js floor that engines, .nvmrc and the installed node package give', () => {
    // GIVEN the floor as package.json declares it
    const floor = /^>=(\d+)$/.exec(packageJson.engines.node)![1];

    // THEN the other places agree
    expect(readme).toContain(`Node.js ${floor} or later`);
    expect(readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim()).toBe(floor);
    expect(packageJson.devDependencies.node).toMatch(new RegExp(`^\\^${floor}\\.`));
  });

  it('names in its architecture only files that exist, and every lambda/core folder', () => {
    // GIVEN the architecture block, where an entry may list siblings: "tools/a.ts, b.ts", or be a folder: "lambda/core/x/"
    const named: string[] = [];
    for (const line of architectureBlock().split('\n')) {
      const entry = /^(\S+\/)([\w.-]+(?:, [\w.*-]+)*)?/.exec(line);
      if (!entry) continue;
      if (!entry[2]) named.push(entry[1]);
      else for (const file of entry[2].split(', ')) named.push(`${entry[1]}${file}`);
    }

    // THEN each exists, and no core folder is left out
    expect(named.filter((file) => !file.includes('<') && !existsSync(path.join(ROOT, file)))).toEqual([]);
    const coreFolders = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => [`${dir}/${entry.name}/`, ...coreFolders(`${dir}/${entry.name}`)]);
    expect(coreFolders('lambda/core').filter((folder) => !named.includes(folder))).toEqual([]);
  });

  it('keeps lambda/core in folders by concern, with no module left at its top', () => {
    // GIVEN / WHEN / THEN
    expect(readdirSync(path.join(ROOT, 'lambda', 'core')).filter((file) => file.endsWith('.ts'))).toEqual([]);
  });

  it('lists in its settings table exactly the settings there are, and the stack options', () => {
    // GIVEN / WHEN
    const listed = settingsTable().map((row) => row.name);
    // THEN
    expect([...listed].sort()).toEqual([...SETTING_NAMES, ...STACK_OPTIONS].sort());
  });

  it('marks as deploy time only exactly the settings an execution cannot change', () => {
    // GIVEN / WHEN
    const marked = settingsTable()
      .filter((row) => /\*\*Deploy time only\*\*/i.test(row.meaning))
      .map((row) => row.name);
    // THEN
    expect(marked.sort()).toEqual([...DEPLOY_TIME_ONLY, ...STACK_OPTIONS].sort());
  });

  it('gives each number, text and true/false default as the settings define it', () => {
    // GIVEN
    const defaults: Record<string, unknown> = WORKSHOP_DEFAULTS;
    const scalar = settingsTable().filter((row) => ['number', 'string', 'boolean'].includes(typeof defaults[row.name]));
    // WHEN / THEN
    expect(scalar.length).toBeGreaterThan(10);
    for (const { name, defaultText } of scalar)
      expect({ name, defaultText }).toEqual({ name, defaultText: `\`${String(defaults[name])}\`` });
  });
});
