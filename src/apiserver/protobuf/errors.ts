// The one error the protobuf decoder throws. It carries what the HTTP layer needs to answer with a
// Kubernetes Status (code, reason, message); the API server maps it onto its StatusError.

export type ProtobufDecodeReason = 'BadRequest' | 'UnsupportedMediaType';

export class ProtobufDecodeError extends Error {
  readonly code: 400 | 415;
  readonly reason: ProtobufDecodeReason;

  constructor(options: { code: 400 | 415; reason: ProtobufDecodeReason; message: string }) {
    super(options.message);
    this.name = 'ProtobufDecodeError';
    this.code = options.code;
    this.reason = options.reason;
  }
}

/** The body is not a well-formed Kubernetes protobuf message (upstream answers 400 as well). */
export function malformedBody(detail: string): ProtobufDecodeError {
  return new ProtobufDecodeError({ code: 400, reason: 'BadRequest', message: `the protobuf request body could not be decoded: ${detail}` });
}

/**
 * A well-formed body we cannot turn into JSON. The tail is upstream's 415 message, which kubectl
 * prints as `Error from server (UnsupportedMediaType): ...`.
 */
export function unsupportedBody(what: string): ProtobufDecodeError {
  return new ProtobufDecodeError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `${what} is not supported in application/vnd.kubernetes.protobuf request bodies; ` +
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
  });
}
