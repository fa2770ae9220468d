/** The shape of an ajv standalone validator, as generated into `generated/validators.js`. */
export interface SchemaError {
  /** JSON Pointer into the validated data, e.g. `/spec/subscriptions/1`. */
  readonly instancePath: string;
  /** JSON Pointer into the schema, e.g. `#/$defs/spec/properties/subscriptions/minItems`. */
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** A validator of documents of type `T`: a type guard, with the errors of its last call. */
export interface CompiledValidator<T> {
  (data: unknown): data is T;
  errors?: readonly SchemaError[] | null;
}
