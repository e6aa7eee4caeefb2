export * from './jobs';
export * from './identity';
export * from './workspaces';
export * from './audit';
export * from './documents';
export * from './leads';
export * from './dryrun';
export * from './campaigns';
