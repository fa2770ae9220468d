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

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}
