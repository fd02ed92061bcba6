export async function exportLavisSweep(..._a: unknown[]): Promise<number> { return 3; }
