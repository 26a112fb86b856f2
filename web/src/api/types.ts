import type { paths } from './schema';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON a route answers with `status`, read from the generated OpenAPI types. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: infer Responses;
}
  ? S extends keyof Responses
    ? Json<Responses[S]>
    : never
  : never;

/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type LoginResponse = ResponseOf<'/api/auth/login', 'post'>;
export type Session = ResponseOf<'/api/auth/me', 'get'>;
export type Role = Session['user']['role'];
export type UserView = ResponseOf<'/api/users', 'post', 201>;
