/**
 * The standard gRPC health service (grpc.health.v1.Health: Check and Watch). Its two messages have one field
 * each, so they are encoded here rather than loading a .proto file at run time.
 */
import {
  status as GrpcStatus,
  type ServiceDefinition,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { varint } from './protobuf.js';

export enum ServingStatus {
  UNKNOWN = 0,
  SERVING = 1,
  NOT_SERVING = 2,
  SERVICE_UNKNOWN = 3,
}

interface HealthCheckRequest {
  readonly service: string;
}
interface HealthCheckResponse {
  readonly status: ServingStatus;
}

/** HealthCheckRequest { string service = 1; } */
function decodeRequest(bytes: Buffer): HealthCheckRequest {
  let offset = 0;
  let service = '';
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset);
    const wireType = key.value % 8;
    if (wireType === 2) {
      const length = readVarint(bytes, key.next);
      if (Math.floor(key.value / 8) === 1) service = bytes.subarray(length.next, length.next + length.value).toString('utf8');
      offset = length.next + length.value;
    } else if (wireType === 0) {
      offset = readVarint(bytes, key.next).next;
    } else {
      throw new Error('malformed HealthCheckRequest');
    }
  }
  return { service };
}

function readVarint(bytes: Buffer, offset: number): { value: number; next: number } {
  const read = varint(bytes, offset, bytes.length);
  if (read === undefined) throw new Error('malformed varint');
  return read;
}

/** HealthCheckResponse { ServingStatus status = 1; } */
function encodeResponse(response: HealthCheckResponse): Buffer {
  return response.status === ServingStatus.UNKNOWN ? Buffer.alloc(0) : Buffer.from([0x08, response.status]);
}

export const healthService: ServiceDefinition = {
  Check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: decodeRequest,
    responseSerialize: encodeResponse,
    responseDeserialize: () => ({ status: ServingStatus.UNKNOWN }),
  },
  Watch: {
    path: '/grpc.health.v1.Health/Watch',
    requestStream: false,
    responseStream: true,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: decodeRequest,
    responseSerialize: encodeResponse,
    responseDeserialize: () => ({ status: ServingStatus.UNKNOWN }),
  },
};

/** Serving status per service name ("" is the whole server), with watchers told of every change. */
export class HealthStatus {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Set<ServerWritableStream<HealthCheckRequest, HealthCheckResponse>>();

  constructor(services: readonly string[]) {
    for (const service of ['', ...services]) this.statuses.set(service, ServingStatus.SERVING);
  }

  /** Marks every service NOT_SERVING (draining) and tells the watchers. */
  drain(): void {
    for (const service of this.statuses.keys()) this.statuses.set(service, ServingStatus.NOT_SERVING);
    for (const watcher of this.watchers) {
      const status = this.statuses.get(watcher.request.service) ?? ServingStatus.SERVICE_UNKNOWN;
      watcher.write({ status });
      watcher.end();
    }
    this.watchers.clear();
  }

  implementation(): UntypedServiceImplementation {
    return {
      Check: (call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) => {
        const status = this.statuses.get(call.request.service);
        if (status === undefined) callback({ code: GrpcStatus.NOT_FOUND, details: `unknown service ${call.request.service}` });
        else callback(null, { status });
      },
      Watch: (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) => {
        call.write({ status: this.statuses.get(call.request.service) ?? ServingStatus.SERVICE_UNKNOWN });
        this.watchers.add(call);
        call.on('cancelled', () => this.watchers.delete(call));
      },
    };
  }
}
