// One-way layers (DESIGN.md "Layers"): a lower layer never imports an upper one.
// Order, bottom to top: shared < protocol < media < sip < switch < services < business < packs < edge < app.
const layers = [
  ['shared', '^src/shared/'],
  ['protocol', '^src/protocol/'],
  ['media', '^src/media/'],
  ['sip', '^src/sip/'],
  ['switch', '^src/switch/'],
  ['services', '^src/(acd|ivr|outbound|recording)/'],
  ['business', '^src/(crm|messaging|backoffice|reports)/'],
  ['packs', '^packs/'],
  ['edge', '^src/(api|store)/'],
  ['app', '^src/app/'],
];

const forbidden = [];
for (let i = 0; i < layers.length - 1; i++) {
  const [name, from] = layers[i];
  const upper = layers.slice(i + 1).map(([, p]) => `(${p.slice(1)})`).join('|');
  forbidden.push({
    name: `layer-${name}-imports-upward`,
    comment: `${name} is below ${layers.slice(i + 1).map(([n]) => n).join(', ')}: it must not import them (DESIGN.md Layers)`,
    severity: 'error',
    from: { path: from, pathNot: '\\.test\\.ts$' },
    to: { path: `^(${upper})` },
  });
}
forbidden.push({
  name: 'no-circular',
  comment: 'no runtime import cycles (type-only imports vanish at run time and may point back)',
  severity: 'error',
  from: {},
  to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
});
forbidden.push({
  name: 'no-test-imports-in-product',
  comment: 'product code must not import test support',
  severity: 'error',
  from: { path: '^(src|packs)/', pathNot: '\\.test\\.ts$' },
  to: { path: '^test/' },
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: 'node_modules' },
  },
};
