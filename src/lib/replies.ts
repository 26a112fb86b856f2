import type { FastifyReply } from 'fastify';
import { type JsonPage, jsonPageBody } from '../db/json-page.js';

/**
 * Sends JSON text as it is. Fastify passes a string with a JSON content type straight through,
 * past the route's response serializer, so whoever built the text answers for its shape (see
 * db/json-page.ts); the route's response schema still documents it.
 */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

/** Sends a page of a list whose items the database wrote as JSON (`Paginated` in lib/schemas). */
export function sendJsonPage(reply: FastifyReply, page: JsonPage, request: { page: number; limit: number }): FastifyReply {
  return sendJson(reply, jsonPageBody(page, request));
}
