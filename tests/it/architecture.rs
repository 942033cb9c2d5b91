//! The shape of the code, checked on its syntax tree (syn): data flows one
//! way between the library's modules and between the files of each folder,
//! `output` never reaches `render`, only the binary prints, and no function
//! is longer than a reader can hold in mind without a comment saying why it
//! must be.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::Visit;

/// Longest a function may be, in lines from `fn` to its closing brace.
const MAX_FN_LINES: usize = 60;
/// What a longer function's doc comment must say.
const LONG_EXCUSE: &str = "must be long";

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every library source file (not the binary's: `main.rs`, `cli.rs` and
/// `cmd/`), with its top-level module.
fn library_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(src()).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src()).unwrap();
        let first = rel.iter().next().unwrap().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        if ["main", "cli", "cmd", "lib"].contains(&module.as_str()) {
            continue;
        }
        out.push((module, path.to_path_buf()));
    }
    out
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap();
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The top-level modules a file names through `crate::…`.
#[derive(Default)]
struct CrateRefs(BTreeSet<String>);

impl<'a> Visit<'a> for CrateRefs {
    fn visit_use_tree(&mut self, tree: &'a syn::UseTree) {
        if let syn::UseTree::Path(p) = tree
            && p.ident == "crate"
        {
            collect_use(&p.tree, &mut self.0);
            return;
        }
        syn::visit::visit_use_tree(self, tree);
    }

    fn visit_path(&mut self, path: &'a syn::Path) {
        let mut segments = path.segments.iter();
        if let (Some(first), Some(second)) = (segments.next(), segments.next())
            && first.ident == "crate"
        {
            self.0.insert(second.ident.to_string());
        }
        syn::visit::visit_path(self, path);
    }
}

fn collect_use(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => {
            out.insert(p.ident.to_string());
        }
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.ident.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| collect_use(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}

/// Module → the other top-level modules it imports.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = library_files();
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in files {
        let mut refs = CrateRefs::default();
        refs.visit_file(&parse(&path));
        let deps = graph.entry(module.clone()).or_default();
        deps.extend(
            refs.0
                .into_iter()
                .filter(|m| *m != module && modules.contains(m)),
        );
    }
    graph
}

/// A cycle in the graph, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n.clone()) {
            stack.extend(graph.get(&n).into_iter().flatten().cloned());
        }
    }
    false
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = module_graph();
    assert!(graph.len() > 10, "found the modules: {graph:?}");
    assert_eq!(find_cycle(&graph), None, "import graph: {graph:#?}");
}

#[test]
fn the_writer_and_the_model_know_nothing_of_rendering() {
    let graph = module_graph();
    for (module, forbidden) in [
        ("output", "render"),
        ("output", "timeline"),
        ("output", "content"),
        ("config", "content"),
        ("model", "content"),
        ("routes", "render"),
        ("content", "render"),
        ("content", "timeline"),
        ("timeline", "render"),
    ] {
        assert!(
            !reaches(&graph, module, forbidden),
            "`{module}` reaches `{forbidden}`: {graph:#?}"
        );
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into_iter().map(String::from).collect()))
            .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert!(reaches(&graph, "b", "a"));
}

/// A module's path from the crate root: `["render", "pages"]`.
type ModPath = Vec<String>;

/// The module a library file holds, from its path under `src/`
/// (`render/mod.rs` and `render.rs` are both `["render"]`).
fn module_of(rel: &Path) -> ModPath {
    let mut path: ModPath = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if path.last().is_some_and(|last| last == "mod") {
        path.pop();
    }
    path
}

/// What one file names of the crate: every path that starts with `crate`,
/// `super`, `self` or a child module, made absolute from the module it is
/// written in (inline modules such as `mod tests` counted), and what each
/// `use` binds a name to.
struct Named<'m> {
    modules: &'m BTreeSet<ModPath>,
    at: ModPath,
    paths: Vec<ModPath>,
    aliases: Vec<((ModPath, String), ModPath)>,
}

impl Named<'_> {
    fn absolute(&self, segments: &[String]) -> Option<ModPath> {
        let mut out = self.at.clone();
        let mut rest = segments;
        match rest.first()?.as_str() {
            "crate" => {
                out.clear();
                rest = &rest[1..];
            }
            "self" => rest = &rest[1..],
            "super" => {}
            child => {
                out.push(child.to_string());
                if !self.modules.contains(&out) {
                    return None;
                }
                rest = &rest[1..];
            }
        }
        while rest.first().is_some_and(|s| s == "super") {
            out.pop();
            rest = &rest[1..];
        }
        out.extend(rest.iter().cloned());
        Some(out)
    }

    /// Each import of a `use` tree under `prefix`, with the name it binds.
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        let (segments, binding) = match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
                return;
            }
            syn::UseTree::Group(g) => {
                g.items.iter().for_each(|t| self.use_tree(prefix, t));
                return;
            }
            syn::UseTree::Name(n) if n.ident == "self" => (prefix.clone(), prefix.last().cloned()),
            syn::UseTree::Name(n) => {
                let name = n.ident.to_string();
                (
                    [&prefix[..], std::slice::from_ref(&name)].concat(),
                    Some(name),
                )
            }
            syn::UseTree::Rename(r) => (
                [&prefix[..], &[r.ident.to_string()]].concat(),
                Some(r.rename.to_string()),
            ),
            syn::UseTree::Glob(_) => (prefix.clone(), None),
        };
        if let Some(path) = self.absolute(&segments) {
            if let Some(name) = binding {
                self.aliases.push(((self.at.clone(), name), path.clone()));
            }
            self.paths.push(path);
        }
    }
}

impl<'a> Visit<'a> for Named<'_> {
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        self.at.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.at.pop();
    }

    fn visit_item_use(&mut self, u: &'a syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, path: &'a syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(absolute) = self.absolute(&segments) {
            self.paths.push(absolute);
        }
        syn::visit::visit_path(self, path);
    }
}

/// A folder's files (a file standing for its own folder, if it has one)
/// and the files each imports, as `src/`-relative display names.
type FolderGraphs = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// `path` with every name a `use` brought into a module replaced by what
/// it names (`render::Templates` is `render::templates::Templates` when
/// `render/mod.rs` has `pub use templates::Templates`).
fn through_aliases(mut path: ModPath, aliases: &BTreeMap<(ModPath, String), ModPath>) -> ModPath {
    'rewrite: for _ in 0..16 {
        for k in (0..path.len()).rev() {
            let key = (path[..k].to_vec(), path[k].clone());
            if let Some(target) = aliases.get(&key)
                && *target != path[..=k]
            {
                path = [&target[..], &path[k + 1..]].concat();
                continue 'rewrite;
            }
        }
        break;
    }
    path
}

/// Within each folder of `src/`, which of its files import which: a file
/// in a subfolder counts as that subfolder, and the folder's own module
/// file (`mod.rs`, or `render.rs` beside `render/`) is not one of its
/// files (its children may use what it declares, as they use the module
/// itself). `files` are paths under `src/` with their parsed text.
fn folder_graphs(files: &[(PathBuf, syn::File)]) -> FolderGraphs {
    let modules: BTreeMap<ModPath, &Path> = files
        .iter()
        .map(|(rel, _)| (module_of(rel), rel.as_path()))
        .collect();
    let known: BTreeSet<ModPath> = modules.keys().cloned().collect();
    let mut aliases = BTreeMap::new();
    let mut named = Vec::new();
    for (rel, file) in files {
        let mut visitor = Named {
            modules: &known,
            at: module_of(rel),
            paths: Vec::new(),
            aliases: Vec::new(),
        };
        visitor.visit_file(file);
        aliases.extend(visitor.aliases);
        named.push((module_of(rel), visitor.paths));
    }
    // A module with modules of its own stands for its folder: `exports/`.
    let display = |m: &ModPath, depth: usize| -> String {
        let node = &m[..=depth];
        let folder = known
            .iter()
            .any(|k| k.len() > node.len() && k[..node.len()] == *node);
        match (folder, modules.get(node).and_then(|p| p.file_name())) {
            (false, Some(file)) => file.to_string_lossy().into_owned(),
            _ => format!("{}/", node[depth]),
        }
    };
    let mut graphs = FolderGraphs::new();
    for (from, paths) in named {
        for path in paths {
            let path = through_aliases(path, &aliases);
            let Some(to) = (0..=path.len())
                .rev()
                .map(|k| path[..k].to_vec())
                .find(|m| known.contains(m))
            else {
                continue;
            };
            for depth in 1..from.len() {
                let folder = &from[..depth];
                if to.len() <= depth || to[..depth] != *folder || to[depth] == from[depth] {
                    continue;
                }
                let name = format!("src/{}/", folder.join("/"));
                let (a, b) = (display(&from, depth), display(&to, depth));
                let graph = graphs.entry(name).or_default();
                graph.entry(a).or_default().insert(b);
            }
        }
    }
    graphs
}

/// Each folder's cycle, if it has one: `src/render/: pages.rs → exports/
/// → pages.rs`.
fn folder_cycles(graphs: &FolderGraphs) -> Vec<String> {
    graphs
        .iter()
        .filter_map(|(folder, graph)| {
            let cycle = find_cycle(graph)?;
            Some(format!("{folder}: {}", cycle.join(" → ")))
        })
        .collect()
}

fn library_syntax() -> Vec<(PathBuf, syn::File)> {
    library_files()
        .into_iter()
        .map(|(_, path)| {
            let rel = path.strip_prefix(src()).unwrap().to_path_buf();
            (rel, parse(&path))
        })
        .collect()
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let graphs = folder_graphs(&library_syntax());
    let render = &graphs["src/render/"];
    assert!(
        render
            .get("pages.rs")
            .is_some_and(|p| p.contains("views.rs")),
        "the check sees no import in src/render/: {render:#?}"
    );
    let cycles = folder_cycles(&graphs);
    assert!(
        cycles.is_empty(),
        "files of a folder import each other in a cycle (a file imports the \
         next, the last the first): move what they share to a file that \
         imports neither\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_file_check_finds_a_cycle_inside_a_folder() {
    let files = [
        (
            "a/mod.rs",
            "pub mod b; pub mod c; pub use c::Shared; pub struct Top;",
        ),
        ("a/b/mod.rs", "pub mod inner;"),
        (
            "a/b/inner.rs",
            "pub fn f() -> super::super::Shared { todo!() }",
        ),
        ("a/c.rs", "pub struct Shared; fn g() { crate::a::d::h() }"),
        ("a/d.rs", "use super::{Top, b::inner}; pub fn h() {}"),
    ];
    let parsed: Vec<(PathBuf, syn::File)> = files
        .iter()
        .map(|(p, text)| (PathBuf::from(p), syn::parse_file(text).unwrap()))
        .collect();
    let graphs = folder_graphs(&parsed);
    // `Shared` is `c`'s, though `b` names it through the folder's own file.
    assert_eq!(folder_cycles(&graphs), ["src/a/: b/ → c.rs → d.rs → b/"]);
    let d: Vec<&String> = graphs["src/a/"]["d.rs"].iter().collect();
    assert_eq!(d, ["b/"], "`Top` is the folder's own file's");
}

/// Every function with a body: its name, first line, line count, and docs.
#[derive(Default)]
struct Functions(Vec<(String, usize, usize, String)>);

fn docs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => s.value(),
                _ => String::new(),
            },
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Functions {
    fn add(
        &mut self,
        name: String,
        sig: &syn::Signature,
        block: &syn::Block,
        attrs: &[syn::Attribute],
    ) {
        let start = sig.fn_token.span().start().line;
        let end = block.span().end().line;
        self.0.push((name, start, end - start + 1, docs(attrs)));
    }
}

impl<'a> Visit<'a> for Functions {
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.add(f.sig.ident.to_string(), &f.sig, &f.block, &f.attrs);
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.add(f.sig.ident.to_string(), &f.sig, &f.block, &f.attrs);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'a syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.add(f.sig.ident.to_string(), &f.sig, block, &f.attrs);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

#[test]
fn no_function_is_longer_than_a_reader_can_hold() {
    let mut too_long = Vec::new();
    let mut counted = 0;
    for entry in walkdir::WalkDir::new(src()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let mut functions = Functions::default();
        functions.visit_file(&parse(entry.path()));
        for (name, line, lines, docs) in functions.0 {
            counted += 1;
            if lines > MAX_FN_LINES && !docs.contains(LONG_EXCUSE) {
                let rel = entry
                    .path()
                    .strip_prefix(src())
                    .unwrap()
                    .display()
                    .to_string();
                too_long.push(format!("src/{rel}:{line} `{name}` is {lines} lines"));
            }
        }
    }
    assert!(counted > 100, "only {counted} functions found");
    assert!(
        too_long.is_empty(),
        "functions over {MAX_FN_LINES} lines without a comment saying why they {LONG_EXCUSE}:\n{}",
        too_long.join("\n")
    );
}

#[test]
fn only_the_binary_prints() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    assert!(lib.contains("#![warn(clippy::print_stdout, clippy::print_stderr)]"));
    for (module, path) in library_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        for forbidden in ["println!", "eprintln!", "print!(", "eprint!(", "dbg!("] {
            assert!(
                !text.contains(forbidden),
                "{} (module {module}) uses {forbidden}",
                path.display()
            );
        }
    }
}

/// serde_yaml is archived upstream: one module calls it, so replacing it
/// touches one file. Tests and fuzz targets read YAML through that module.
#[test]
fn serde_yaml_is_called_from_one_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut users = Vec::new();
    for dir in ["src", "tests", "examples", "fuzz/src", "fuzz/fuzz_targets"] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(entry.path())
                    .unwrap()
                    .contains(&["serde", "yaml::"].join("_"))
            {
                users.push(
                    entry
                        .path()
                        .strip_prefix(root)
                        .unwrap()
                        .display()
                        .to_string(),
                );
            }
        }
    }
    assert_eq!(users, ["src/content/yaml.rs"]);
}

/// ARCHITECTURE.md's code map lists the modules so that each imports only
/// modules listed after it: the map stays true.
#[test]
fn the_code_map_lists_modules_in_dependency_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let map = &text[text.find("## Code map").unwrap()..text.find("## Invariants").unwrap()];
    let mut order: Vec<String> = Vec::new();
    for line in map.lines().filter(|l| l.starts_with("**`")) {
        for part in line.split("**").filter(|p| p.starts_with('`')) {
            let name = part.trim_matches('`');
            let module = name.trim_end_matches(".rs").trim_end_matches('/');
            if !order.iter().any(|m| m == module) {
                order.push(module.to_string());
            }
        }
    }
    let graph = module_graph();
    for module in graph.keys() {
        assert!(
            order.contains(module),
            "ARCHITECTURE.md does not map `{module}`"
        );
    }
    let position = |m: &str| order.iter().position(|o| o == m).unwrap();
    for (module, deps) in &graph {
        for dep in deps {
            assert!(
                position(dep) > position(module),
                "`{module}` imports `{dep}`, which ARCHITECTURE.md lists above it"
            );
        }
    }
}
