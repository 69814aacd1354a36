//! How the vendor page words a vendor's identity across sources: the other ids of its `same` group,
//! the links decided about them (who, when, why), its aliases and identifiers. Every value is data and
//! is shown as text.
import type { AliasView } from '$lib/api/bindings/AliasView';
import type { IdentifierView } from '$lib/api/bindings/IdentifierView';
import type { Identity } from '$lib/api/bindings/Identity';
import type { LinkView } from '$lib/api/bindings/LinkView';

/** An alias's kind in words (data-formats v1.3: aka, fka, nka, translit). */
export const ALIAS_KIND_LABELS: Record<string, string> = {
	aka: 'also known as',
	fka: 'formerly known as',
	nka: 'now known as',
	translit: 'transliteration'
};

export function aliasKindLabel(kind: string): string {
	return ALIAS_KIND_LABELS[kind] ?? kind;
}

/** A link's decision in words. */
export function decisionLabel(decision: string): string {
	if (decision === 'same') return 'Same legal person';
	if (decision === 'different') return 'Different legal persons';
	return decision;
}

/** A link as the page lists it: the end in the vendor's group first. */
export type LinkRow = LinkView & {
	/** The unordered pair, as a key. */
	key: string;
	/** The end that is one of the vendor's ids (the stored first end when both are). */
	near: string;
	/** The other end. */
	far: string;
	/** Whether the other end is in the vendor's group too (a `same` link within it). */
	farInGroup: boolean;
};

export type IdentityView = {
	/** The vendor's own entity id. */
	own: string;
	/** The other entity ids its `same` links make one legal person with it, in byte order. */
	others: string[];
	links: LinkRow[];
	aliases: AliasView[];
	identifiers: IdentifierView[];
	/** The store records nothing beyond the vendor's own id. */
	empty: boolean;
	/** Whether rows must say which id of the group they are about (the group has more than one). */
	showsIds: boolean;
};

export function identityView(identity: Identity, vendorId: string): IdentityView {
	const own = identity.group[0] ?? vendorId;
	const group = new Set(identity.group.length > 0 ? identity.group : [vendorId]);
	const others = identity.group.slice(1);
	const links = identity.links.map((link): LinkRow => {
		const flipped = !group.has(link.entity_id) && group.has(link.other_id);
		const [near, far] = flipped ? [link.other_id, link.entity_id] : [link.entity_id, link.other_id];
		return { ...link, key: `${link.entity_id}\u0000${link.other_id}`, near, far, farInGroup: group.has(far) };
	});
	return {
		own,
		others,
		links,
		aliases: identity.aliases,
		identifiers: identity.identifiers,
		empty: others.length === 0 && links.length === 0 && identity.aliases.length === 0 && identity.identifiers.length === 0,
		showsIds: group.size > 1
	};
}
