// Public surface of the TypeScript code generator.
export * from './errors.ts';
export { generateFromModel, generateTypeScript } from './generate.ts';
export type {
  CodegenInput,
  CodegenOptions,
  CodegenResult,
  GeneratedEvent,
  GeneratedField,
  GeneratedFile,
} from './generate.ts';
export { buildModel } from './model.ts';
export type { SchemaDocument, SchemaModel } from './model.ts';
export { generateNamespacePackage, packageNameFor, renderReadme, writeGeneratedFiles } from './package.ts';
export type { NamespacePackage, NamespacePackageOptions, PackageJsonFragment } from './package.ts';
