/** A grpc.health.v1 client for tests (the two one-field messages encoded by hand, as the server does). */
import { makeGenericClientConstructor, credentials, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js';

const definition = {
  Check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: (request: { service: string }) => {
      const name = Buffer.from(request.service, 'utf8');
      return name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, name.length]), name]);
    },
    requestDeserialize: (bytes: Buffer) => ({ service: bytes.toString('utf8') }),
    responseSerialize: () => Buffer.alloc(0),
    responseDeserialize: (bytes: Buffer) => ({ status: bytes.length >= 2 && bytes[0] === 0x08 ? bytes[1]! : 0 }),
  },
};

interface HealthClient extends Client {
  Check(request: { service: string }, callback: (error: ServiceError | null, response?: { status: number }) => void): void;
}

const HealthClientConstructor = makeGenericClientConstructor(definition, 'grpc.health.v1.Health');

/** Resolves with the numeric ServingStatus (1 = SERVING). */
export function checkHealth(port: number, service = '', channel: ChannelCredentials = credentials.createInsecure(), host = '127.0.0.1'): Promise<number> {
  const client = new HealthClientConstructor(`${host}:${port}`, channel) as unknown as HealthClient;
  return new Promise((resolve, reject) =>
    client.Check({ service }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response!.status);
    }),
  );
}
