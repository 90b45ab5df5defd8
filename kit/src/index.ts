// `@lapor-hub/node-kit`: what a node's developer uses to plug a subgraph into LAPOR! Hub. It
// depends on nothing of the hub's: a node holds no secret of the hub, only the gateway's JWKS URL.
export * from './credential';
export * from './server';
