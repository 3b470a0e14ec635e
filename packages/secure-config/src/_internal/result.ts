// Every runtime import of @keel/result goes through here, so that a bundle of this package holds one import
// statement of it rather than one a module.
export { err, fromSchema, ok, ResultAsync, TaggedError } from "@keel/result";
