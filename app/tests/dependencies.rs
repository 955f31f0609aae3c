//! Dependencies point one way (see the README's map): an area (portal,
//! institution, kommune, support) uses the shared modules and never another
//! area, and the shared modules use no area. The composition root is the
//! one place that knows every area: `shell.rs` puts their routes and API
//! documents together, and `lib.rs` declares the modules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const AREAS: [&str; 4] = ["portal", "institution", "kommune", "support"];

/// The top-level module a file under `app/src` belongs to.
fn module_of(file: &Path, src: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next().expect("a component");
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// Every top-level module a source text names through `crate::`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(list) = rest.strip_prefix('{') {
            // `use crate::{a::b, c};`: the first segment of each item.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in list.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        let word: String = list[i..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        names.insert(word);
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.insert(word);
        }
    }
    names
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (from, to, file) for every import of one top-level module by another.
fn imports() -> BTreeSet<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = BTreeSet::new();
    for file in files {
        let from = module_of(&file, &src);
        let text = std::fs::read_to_string(&file).expect("readable source file");
        for to in named_modules(&text) {
            if to != from {
                let shown = file.strip_prefix(&src).unwrap().display().to_string();
                found.insert((from.clone(), to, shown));
            }
        }
    }
    found
}

/// The composition root's files, which may name every area.
const ROOT: [&str; 2] = ["lib", "shell"];

/// The imports that break the rule: of an area, by anything but the root.
fn edges() -> BTreeSet<(String, String, String)> {
    imports()
        .into_iter()
        .filter(|(from, to, _)| !ROOT.contains(&from.as_str()) && AREAS.contains(&to.as_str()))
        .collect()
}

#[test]
fn the_scan_sees_the_areas_using_the_shared_modules() {
    let seen: BTreeSet<(String, String)> = imports().into_iter().map(|(from, to, _)| (from, to)).collect();
    for expected in [
        ("institution", "workspace"),
        ("kommune", "admin"),
        ("support", "admin"),
        ("portal", "published"),
        ("workspace", "published"),
        ("shell", "kommune"),
    ] {
        assert!(
            seen.contains(&(expected.0.to_string(), expected.1.to_string())),
            "the scan misses {expected:?}; it would miss a broken rule the same way"
        );
    }
}

#[test]
fn areas_never_import_each_other_and_shared_modules_import_no_area() {
    let found: Vec<_> = edges()
        .into_iter()
        .map(|(from, to, file)| format!("{file}: {from} → {to}"))
        .collect();
    assert!(
        found.is_empty(),
        "imports that break the dependency rule (move the shared piece to a shared module: \
         domain, components, register, published, workspace, admin, documents, api or ssr):\n{}",
        found.join("\n")
    );
}

#[test]
fn named_modules_reads_paths_and_brace_lists() {
    let text = "use crate::domain::X;\nuse crate::{kommune::a, portal::{b, c}, error};\nlet y = crate::support::f();";
    let names: Vec<_> = named_modules(text).into_iter().collect();
    assert_eq!(names, ["domain", "error", "kommune", "portal", "support"]);
}
