/**
 * An absolute path that names a place on one machine (`/mnt/workspace/ckpt/vicuna-13b/`, `~/ckpt/x`, `D:\data\x`):
 * at least a folder and a separator after the root, and not under `/tmp` or `/dev`, which every machine has. Code
 * that falls back to one when a key is not set (TimeChat's builders' `tokenizer_name`) works only on
 * its author's machine.
 */
export const AUTHOR_PATH = /^(?:~|[A-Za-z]:)?[/\\](?!(?:tmp|dev)(?:[/\\]|$))[^/\\\s]+[/\\]/;

export const isAuthorPath = (text: string): boolean => AUTHOR_PATH.test(text);
