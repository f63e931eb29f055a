//! The element tree of a page, built by html5ever's tree builder (through
//! `scraper`) only while the builder's work stays linear in the page size.
//!
//! The tree builder's cost per tag is not constant: its scope checks walk
//! the stack of open elements (a `<div>` start tag looks for an open `<p>`
//! all the way down), the Noah's Ark and reconstruction steps walk the list
//! of active formatting elements, and reconstruction re-creates every
//! formatting element that was closed around it (`<div>x</div>` under 250
//! unclosed `<b id=…>` creates 251 elements). A page of 100,000 nested
//! `<div>` costs five billion steps; a 120 KB page of reconstructions,
//! 700 MB. [`parse_bounded`] feeds the page in chunks of [`CHUNK_BYTES`],
//! and after each chunk checks three budgets ([`Budget`]); over any of
//! them, it gives up and says which, and the caller reads the page by its
//! tags alone. A page within them gets the tree `Html::parse_document`
//! would give (html5ever's tokenizer resumes a token cut by a chunk end).
//!
//! Main types: [`Budget`], [`Exceeded`], the counting sink [`Counting`].
//! Must not: walk the tree or read text (that is `html.rs`'s walk).

use std::borrow::Cow;
use std::cell::{Cell, Ref};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, Tracer, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{driver, Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

/// How much of the page is fed to the tree builder between two checks of
/// its budgets. Small enough that the work done past a budget before it is
/// noticed stays small (a 4 KB chunk holds at most 1,366 tags), large
/// enough that the checks cost nothing next to the parse.
pub(crate) const CHUNK_BYTES: usize = 4096;

/// What the tree builder may do with a page before the page is read by its
/// tags alone instead. Of 599 HTML pages of documentation (Rust, Python,
/// Debian packages, up to 1 MB), the most any page needed was 74 open
/// elements, 27,000 elements and 1.9 steps a byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Budget {
    /// Most open elements plus active formatting elements after a chunk:
    /// every scope check and reconstruction walks them. Browsers stop
    /// nesting near this depth too (Chromium attaches elements beyond 512
    /// levels to the 512th). Default 512.
    pub max_open: usize,
    /// Most elements (and comments) in the tree: what its memory holds,
    /// about 420 bytes each with a text node. Default 262,144 (about
    /// 110 MB); a long news page has a few thousand.
    pub max_elements: usize,
    /// Most tree-builder steps (an element's name read in a scope check or
    /// list walk, a node created or inserted) per byte fed, after the first
    /// [`Budget::base_steps`]. Default 64, thirty times the most those
    /// pages needed: at about 5 ns a step, at most 0.3 s a megabyte.
    pub steps_per_byte: usize,
    /// Steps any page may take whatever its size. Default 65,536.
    pub base_steps: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { max_open: 512, max_elements: 1 << 18, steps_per_byte: 64, base_steps: 1 << 16 }
    }
}

/// Which budget a page went over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exceeded {
    /// More than [`Budget::max_open`] open and formatting elements.
    Depth,
    /// More than [`Budget::max_elements`] elements.
    Elements,
    /// More tree-builder steps than [`Budget::steps_per_byte`] allows.
    Steps,
}

impl Exceeded {
    /// What happened, for the warning that names the page.
    pub(crate) fn describe(self, budget: &Budget) -> String {
        match self {
            Exceeded::Depth => format!("more than {} nested or unclosed elements", budget.max_open),
            Exceeded::Elements => format!("more than {} elements", budget.max_elements),
            Exceeded::Steps => {
                format!("markup that takes the HTML tree builder over {} steps a byte", budget.steps_per_byte)
            }
        }
    }
}

/// What the tree builder has done so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Work {
    /// Elements, comments and processing instructions created.
    pub elements: usize,
    /// Element names read (each step of a scope check or list walk reads
    /// one) plus nodes and text inserted.
    pub steps: usize,
    /// The most open plus active formatting elements seen after a chunk.
    pub max_open: usize,
}

/// Parses a page into its element tree, or says which budget it went over.
/// Also returns the work done (for tests, which assert it is linear).
pub(crate) fn parse_bounded(html: &str, budget: &Budget) -> (Result<Html, Exceeded>, Work) {
    parse_in_chunks(html, budget, CHUNK_BYTES)
}

/// [`parse_bounded`] with a given chunk size (at least 4 bytes, so that a
/// chunk always holds a whole character).
pub(crate) fn parse_in_chunks(html: &str, budget: &Budget, chunk_bytes: usize) -> (Result<Html, Exceeded>, Work) {
    let sink = Counting { inner: HtmlTreeSink::new(Html::new_document()), steps: Cell::new(0), elements: Cell::new(0) };
    let mut parser = driver::parse_document(sink, driver::ParseOpts::default());
    let mut rest = html;
    let mut fed = 0;
    let mut max_open = 0;
    while !rest.is_empty() {
        let mut cut = rest.len().min(chunk_bytes.max(4));
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        fed += cut;
        let open = OpenCount(Cell::new(0));
        parser.tokenizer.sink.trace_handles(&open);
        max_open = max_open.max(open.0.get());
        let sink = &parser.tokenizer.sink.sink;
        let work = Work { elements: sink.elements.get(), steps: sink.steps.get(), max_open };
        let exceeded = if open.0.get() > budget.max_open {
            Some(Exceeded::Depth)
        } else if work.elements > budget.max_elements {
            Some(Exceeded::Elements)
        } else if work.steps > budget.base_steps.saturating_add(fed.saturating_mul(budget.steps_per_byte)) {
            Some(Exceeded::Steps)
        } else {
            None
        };
        if let Some(exceeded) = exceeded {
            return (Err(exceeded), work);
        }
    }
    let sink = &parser.tokenizer.sink.sink;
    let work = Work { elements: sink.elements.get(), steps: sink.steps.get(), max_open };
    (Ok(parser.finish()), work)
}

/// Counts the handles the tree builder holds: its open elements and active
/// formatting elements (and the document, head and form elements).
struct OpenCount(Cell<usize>);

impl Tracer for OpenCount {
    type Handle = <HtmlTreeSink as TreeSink>::Handle;

    fn trace_handle(&self, _node: &Self::Handle) {
        self.0.set(self.0.get() + 1);
    }
}

/// `scraper`'s tree sink, counting the tree builder's work: every element
/// name it reads (the steps of its scope checks and list walks) and every
/// node it creates or inserts.
pub(crate) struct Counting {
    inner: HtmlTreeSink,
    steps: Cell<usize>,
    elements: Cell<usize>,
}

impl Counting {
    fn step(&self) {
        self.steps.set(self.steps.get() + 1);
    }

    fn created(&self) {
        self.elements.set(self.elements.get() + 1);
        self.step();
    }
}

impl TreeSink for Counting {
    type Handle = <HtmlTreeSink as TreeSink>::Handle;
    type Output = <HtmlTreeSink as TreeSink>::Output;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        self.inner.finish()
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn get_document(&self) -> Self::Handle {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a Self::Handle) -> Self::ElemName<'a> {
        self.step();
        // What `HtmlTreeSink::elem_name` does, written here so that it is
        // inlined into the tree builder's scope walks (a call to it from
        // this crate is not, and doubled their time).
        Ref::map(self.inner.0.borrow(), |html| {
            let node = html.tree.get(*target).expect("the tree builder names its own elements");
            &node.value().as_element().expect("the tree builder names elements only").name
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Self::Handle {
        self.created();
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> Self::Handle {
        self.created();
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Self::Handle {
        self.created();
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &Self::Handle, child: NodeOrText<Self::Handle>) {
        self.step();
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Self::Handle,
        prev_element: &Self::Handle,
        child: NodeOrText<Self::Handle>,
    ) {
        self.step();
        self.inner.append_based_on_parent_node(element, prev_element, child);
    }

    fn append_doctype_to_document(&self, name: StrTendril, public_id: StrTendril, system_id: StrTendril) {
        self.inner.append_doctype_to_document(name, public_id, system_id);
    }

    fn mark_script_already_started(&self, node: &Self::Handle) {
        self.inner.mark_script_already_started(node);
    }

    fn pop(&self, node: &Self::Handle) {
        self.inner.pop(node);
    }

    fn get_template_contents(&self, target: &Self::Handle) -> Self::Handle {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &Self::Handle, y: &Self::Handle) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &Self::Handle, new_node: NodeOrText<Self::Handle>) {
        self.step();
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &Self::Handle, attrs: Vec<Attribute>) {
        // Each attribute is looked up and inserted in the element's sorted
        // list: a move of the list. A page of `<body a1>`, `<body a2>`, …
        // grows the list by one a tag.
        let held = self
            .inner
            .0
            .borrow()
            .tree
            .get(*target)
            .and_then(|node| node.value().as_element())
            .map_or(0, |el| el.attrs.len());
        self.steps.set(self.steps.get().saturating_add(attrs.len().saturating_mul(held + 1)));
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn associate_with_form(
        &self,
        target: &Self::Handle,
        form: &Self::Handle,
        nodes: (&Self::Handle, Option<&Self::Handle>),
    ) {
        self.inner.associate_with_form(target, form, nodes);
    }

    fn remove_from_parent(&self, target: &Self::Handle) {
        self.step();
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &Self::Handle, new_parent: &Self::Handle) {
        self.step();
        self.inner.reparent_children(node, new_parent);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Self::Handle) -> bool {
        self.inner.is_mathml_annotation_xml_integration_point(handle)
    }

    fn set_current_line(&self, line_number: u64) {
        self.inner.set_current_line(line_number);
    }

    fn allow_declarative_shadow_roots(&self, intended_parent: &Self::Handle) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }

    fn attach_declarative_shadow(&self, location: &Self::Handle, template: &Self::Handle, attrs: &[Attribute]) -> bool {
        self.inner.attach_declarative_shadow(location, template, attrs)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &Self::Handle) {
        self.inner.maybe_clone_an_option_into_selectedcontent(option);
    }
}
