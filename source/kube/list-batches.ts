// The items of one list answer in batches, parsed as its bytes arrive: a 20 MB list of 5,000 pods is then parsed
// while the rest of it is still on the way, instead of all at once after its last byte. Each batch is ordinary
// JSON.parse of a run of whole items; only where a run may end is found without parsing, and a wrong guess cannot
// pass unnoticed, so the answer is always exactly what JSON.parse of the whole body gives.
//
// An API server writes a list as {"kind":...,"apiVersion":...,"metadata":{...},"items":[{"K":...},{"K":...}]}, every
// item beginning with the same first key K ("metadata" in a typed list). A run of items may end before `},{"K":`.
// Inside a JSON string a quote is escaped, so that text can only be structure; it may still be structure inside an
// item (an array of objects whose first key is K). Then the run ends inside an item and its brackets do not balance:
// JSON.parse refuses it, and the bytes wait for a later cut. A body of any other shape is parsed whole at its end.
import type {ListBody} from './watch.js';

const ITEMS = Buffer.from('"items":[');

// Batches of about this many bytes (some 250 pods); a guess that failed to parse waits for twice as many.
const BATCH_BYTES = 1 << 20;

// The head is looked for in this many bytes at most; past that, the body is parsed whole.
const HEAD_BYTES = 1 << 16;

export class ItemBatcher {
	private held: Buffer[] = [];
	private heldBytes = 0;
	private head: string | undefined;
	private separator: Buffer | undefined;
	private whole = false;
	private nextTry = BATCH_BYTES;

	// `onItems` gets each run of items as parsed, in order.
	constructor(private readonly onItems: (items: unknown[]) => void) {}

	// The next bytes of the body.
	push(chunk: Buffer): void {
		this.held.push(chunk);
		this.heldBytes += chunk.length;
		if (this.whole) return;
		if (this.head === undefined && !this.findHead()) return;
		if (this.separator === undefined && !this.findSeparator()) return;
		if (this.heldBytes >= this.nextTry) this.cut();
	}

	// The list as JSON.parse of the whole body would give it, less the items already handed to onItems.
	end(): ListBody {
		const rest = Buffer.concat(this.held).toString('utf8');
		this.held = [];
		this.heldBytes = 0;
		if (this.head === undefined) return JSON.parse(rest) as ListBody;
		return JSON.parse(`${this.head}"items":[${withoutComma(rest)}`) as ListBody;
	}

	// Finds where the items begin; the list's own fields before them must parse with an empty items array.
	private findHead(): boolean {
		const bytes = Buffer.concat(this.held);
		const at = bytes.indexOf(ITEMS);
		if (at < 0) {
			if (bytes.length > HEAD_BYTES) this.whole = true;
			this.held = [bytes];
			return false;
		}
		const head = bytes.subarray(0, at).toString('utf8');
		try {
			const shape = JSON.parse(`${head}"items":[]}`) as unknown;
			if (!shape || typeof shape !== 'object' || Array.isArray(shape)) throw new Error('not a list');
		} catch {
			this.whole = true;
			this.held = [bytes];
			return false;
		}
		this.head = head;
		const items = bytes.subarray(at + ITEMS.length);
		this.held = [items];
		this.heldBytes = items.length;
		return true;
	}

	// Reads the first item's first key, which every item begins with.
	private findSeparator(): boolean {
		const bytes = Buffer.concat(this.held);
		this.held = [bytes];
		const key = /^\s*\{\s*"([^"\\]{1,64})"\s*:/.exec(bytes.subarray(0, 128).toString('latin1'));
		if (key) {
			this.separator = Buffer.from(`},{"${key[1]}":`);
			return true;
		}
		// Not an object first (an empty list, whitespace we do not expect): the end parses it.
		if (bytes.length >= 128 || /^\s*[^\s{]/.test(bytes.toString('latin1'))) this.whole = true;
		return false;
	}

	// Hands over the items before the last separator, if they parse as whole items.
	private cut(): void {
		const bytes = Buffer.concat(this.held);
		this.held = [bytes];
		const at = bytes.lastIndexOf(this.separator!);
		if (at <= 0) {
			this.nextTry = this.heldBytes + BATCH_BYTES;
			return;
		}
		let items: unknown[];
		try {
			items = JSON.parse(`[${withoutComma(bytes.subarray(0, at + 1).toString('utf8'))}]`) as unknown[];
		} catch {
			// The separator was inside an item: wait for more bytes, and a later separator.
			this.nextTry = this.heldBytes * 2;
			return;
		}
		const rest = bytes.subarray(at + 1);
		this.held = [rest];
		this.heldBytes = rest.length;
		this.nextTry = BATCH_BYTES;
		this.onItems(items);
	}
}

// A run after a cut begins with the comma between two items.
function withoutComma(text: string): string {
	return text.startsWith(',') ? text.slice(1) : text;
}
