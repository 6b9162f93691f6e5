// The layers of src/ (README "Architecture"): surfaces → host → core, never back, no cycles.
// `npm test` runs this; an import that climbs a layer or closes a cycle fails the suite.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one; split the shared part into the lower one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/core decides without disk, network, processes or the clock: it imports only core.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '(^|/)node_modules/(zod|json5)/'], dependencyTypesNot: ['type-only', 'core'] },
    },
    {
      name: 'core-types-stay-in-core',
      severity: 'error',
      comment: 'Even a type that core needs lives in core.',
      from: { path: '^src/core/' },
      to: { path: '^src/(host|ui|commands|gateway)/|^components/' },
    },
    {
      name: 'core-no-io-modules',
      severity: 'error',
      comment: 'No I/O module in core (node:net is allowed for isIP only).',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], path: '^(fs|fs/promises|child_process|http|https|os|readline|dns|timers/promises)$' },
    },
    {
      name: 'host-below-surfaces',
      severity: 'error',
      comment: 'src/host touches the machine for the surfaces; it never imports a surface.',
      from: { path: '^src/host/' },
      to: { path: '^src/(ui|commands|gateway|cli|argv)|^components/' },
    },
    {
      name: 'gateway-is-its-own-surface',
      severity: 'error',
      comment: 'The running gateway uses host and core, never the CLI commands or the wizard.',
      from: { path: '^src/gateway/' },
      to: { path: '^src/(ui|commands)/|^components/' },
    },
    {
      name: 'ui-below-commands',
      severity: 'error',
      comment: 'Commands call the ui, not the other way round.',
      from: { path: '^src/ui/|^components/' },
      to: { path: '^src/commands/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
