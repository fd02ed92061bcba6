import { suite } from "uvu";
import * as assert from "uvu/assert";
import { fileKey, pathToUri, uriKey, uriPathProblem, uriToPath } from "../../src/lsp/convert.js";

// A file is known by its path, whatever the URI's spelling (lsp/convert.ts). VS Code escapes a Windows drive's colon
// (`file:///c%3A/...`) and writes the letter in lower case, Node writes `file:///C:/...`: one document. These are the
// pure URI <-> path functions under Windows' rules and POSIX's, on whatever machine the tests run: no file is touched.

const Uris = suite("lsp: file URIs to paths and keys, Windows and POSIX");

const VSCODE = "file:///c%3A/Users/me/w%404/exp.lv"; // VS Code's spelling, `@` escaped as well
const NODE = "file:///C:/Users/me/w@4/exp.lv"; // pathToFileURL's

Uris("Windows: VS Code's escaped drive and Node's spelling name one file, by one key", () => {
  assert.is(uriToPath(VSCODE, "win32"), "c:\\Users\\me\\w@4\\exp.lv");
  assert.is(uriToPath(NODE, "win32"), "C:\\Users\\me\\w@4\\exp.lv");
  assert.is(uriToPath("file:///C%3a/Users/me/w@4/exp.lv", "win32"), "C:\\Users\\me\\w@4\\exp.lv", "a lower-case escape");
  const keys = [VSCODE, NODE, "file:///c:/Users/me/w%404/exp.lv", "file:///C%3a/Users/me/w@4/exp.lv"].map((u) => uriKey(u, "win32"));
  assert.equal(new Set(keys), new Set(["c:\\Users\\me\\w@4\\exp.lv"]));
  // A span's path (as the check names the file it read) gets the same key.
  assert.is(fileKey("C:/Users/me/./w@4/exp.lv", "win32"), "c:\\Users\\me\\w@4\\exp.lv");
  assert.is(fileKey("C:\\Users\\me\\w@4\\exp.lv", "win32"), uriKey(VSCODE, "win32"));
});

Uris("Windows: a path goes out as Node spells its URI, and comes back the same file", () => {
  assert.is(pathToUri("C:\\Users\\me\\w@4\\exp.lv", "win32"), NODE);
  assert.is(pathToUri("c:\\Users\\me\\a b\\exp.lv", "win32"), "file:///c:/Users/me/a%20b/exp.lv");
  for (const uri of [VSCODE, NODE]) assert.is(uriKey(pathToUri(uriToPath(uri, "win32")!, "win32"), "win32"), uriKey(uri, "win32"));
});

Uris("Windows: a UNC share's URI (a host) is the path \\\\server\\share, and back", () => {
  assert.is(uriToPath("file://server/share/x.lv", "win32"), "\\\\server\\share\\x.lv");
  assert.is(uriPathProblem("file://server/share/x.lv", "win32"), null);
  assert.is(pathToUri("\\\\server\\share\\x.lv", "win32"), "file://server/share/x.lv");
  assert.is(uriKey("file://server/share/dir/../x.lv", "win32"), "\\\\server\\share\\x.lv");
});

Uris("Windows: URIs with no path there are refused with a reason, not thrown", () => {
  for (const uri of ["file:///x.lv", "file:///c%3A/a%2Fb.lv", "file:///c%3A/a%5Cb.lv", "file:///c%3A/%ZZ.lv"]) {
    assert.ok(uriPathProblem(uri, "win32"), uri);
    assert.is(uriToPath(uri, "win32"), null, uri);
    assert.is(uriKey(uri, "win32"), uri, "the URI stands for itself");
  }
});

Uris("POSIX: a host has no path (a UNC share is Windows'); a drive-letter URI is an ordinary folder named `c:`", () => {
  assert.match(uriPathProblem("file://server/share/x.lv", "posix") ?? "", /host/i);
  assert.is(uriToPath("file://server/share/x.lv", "posix"), null);
  assert.is(uriToPath(VSCODE, "posix"), "/c:/Users/me/w@4/exp.lv");
  assert.is(uriKey("file:///home/me/w%404/a/../exp.lv", "posix"), "/home/me/w@4/exp.lv");
  assert.is(pathToUri("/home/me/w@4/exp.lv", "posix"), "file:///home/me/w@4/exp.lv");
});

Uris("anything that is not a file URI is its own path and key", () => {
  for (const flavor of ["win32", "posix"] as const) {
    assert.is(uriToPath("untitled:Untitled-1", flavor), "untitled:Untitled-1");
    assert.is(uriKey("untitled:Untitled-1", flavor), "untitled:Untitled-1");
    assert.is(fileKey("stdlib/recipe.lv", flavor), "stdlib/recipe.lv");
  }
});

Uris.run();
