/**
 * Where a conversation with someone lives, carrying their name for the page's heading (someone
 * never written to is in no conversation list the page could read the name from).
 */
export function conversationLink(partner: { id: string; name: string | null }) {
  return { to: `/messages/${partner.id}`, state: { name: partner.name } };
}
