//! The X11 clipboard holding the exporter's own PNG file as `image/png`, served by a
//! small process of its own (`journeymap serve-clipboard`), as xclip does: the image
//! stays on the clipboard after the editor quits, until something else is copied.
//!
//! egui's clipboard (arboard) takes only RGBA pixels and encodes a PNG of its own,
//! without pHYs, sRGB or the embedded map; that is why this exists.

use std::collections::HashMap;
use std::io::Write;
use x11rb::connection::{Connection, RequestConnection};
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ChangeWindowAttributesAux, ConnectionExt as _, CreateWindowAux, EventMask,
    PropMode, Property, SELECTION_NOTIFY_EVENT, SelectionNotifyEvent, SelectionRequestEvent,
    Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

x11rb::atom_manager! {
    Atoms: AtomsCookie {
        CLIPBOARD,
        TARGETS,
        TIMESTAMP,
        INCR,
    }
}

/// Data larger than this goes in pieces (the INCR protocol), as ICCCM asks.
const CHUNK_BYTES: usize = 256 * 1024;

/// A transfer in pieces: how far into the data it is.
struct Incremental {
    target: Atom,
    sent: usize,
}

/// Takes the clipboard with `data` as `mime`, then calls `ready` (the parent waits for
/// it), then serves paste requests until another program takes the clipboard.
pub fn serve(mime: &str, data: &[u8], ready: impl FnOnce()) -> Result<(), String> {
    let fail = |what: &str, err: &dyn std::fmt::Display| format!("{what}: {err}");
    let (conn, screen) =
        RustConnection::connect(None).map_err(|err| fail("cannot reach the X display", &err))?;
    let atoms = Atoms::new(&conn)
        .map_err(|err| fail("X error", &err))?
        .reply()
        .map_err(|err| fail("X error", &err))?;
    let mime_atom = conn
        .intern_atom(false, mime.as_bytes())
        .map_err(|err| fail("X error", &err))?
        .reply()
        .map_err(|err| fail("X error", &err))?
        .atom;
    let root = conn
        .setup()
        .roots
        .get(screen)
        .ok_or("the X display has no screen")?
        .root;
    let window = conn.generate_id().map_err(|err| fail("X error", &err))?;
    let aux = CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE);
    conn.create_window(
        x11rb::COPY_DEPTH_FROM_PARENT,
        window,
        root,
        0,
        0,
        1,
        1,
        0,
        WindowClass::INPUT_ONLY,
        x11rb::COPY_FROM_PARENT,
        &aux,
    )
    .map_err(|err| fail("X error", &err))?;
    // The time we own it from, for TIMESTAMP: a property change gives the server's time.
    conn.change_property8(
        PropMode::APPEND,
        window,
        AtomEnum::WM_NAME,
        AtomEnum::STRING,
        b"",
    )
    .map_err(|err| fail("X error", &err))?;
    conn.flush().map_err(|err| fail("X error", &err))?;
    let since = loop {
        match conn.wait_for_event() {
            Ok(Event::PropertyNotify(event)) if event.window == window => break event.time,
            Ok(_) => {}
            Err(err) => return Err(fail("X connection lost", &err)),
        }
    };
    conn.set_selection_owner(window, atoms.CLIPBOARD, since)
        .map_err(|err| fail("X error", &err))?;
    let owner = conn
        .get_selection_owner(atoms.CLIPBOARD)
        .map_err(|err| fail("X error", &err))?
        .reply()
        .map_err(|err| fail("X error", &err))?
        .owner;
    if owner != window {
        return Err("another program kept the clipboard".to_owned());
    }
    ready();
    let server = Server {
        conn: &conn,
        atoms,
        mime: mime_atom,
        data,
        since,
        // Room for the request's own header.
        single_limit: conn
            .maximum_request_bytes()
            .saturating_sub(64)
            .min(CHUNK_BYTES),
    };
    server.run()
}

struct Server<'a> {
    conn: &'a RustConnection,
    atoms: Atoms,
    mime: Atom,
    data: &'a [u8],
    since: u32,
    single_limit: usize,
}

impl Server<'_> {
    fn run(&self) -> Result<(), String> {
        let mut transfers: HashMap<(Window, Atom), Incremental> = HashMap::new();
        loop {
            let event = self
                .conn
                .wait_for_event()
                .map_err(|err| format!("X connection lost: {err}"))?;
            let sent = match event {
                Event::SelectionClear(event) if event.selection == self.atoms.CLIPBOARD => {
                    // Something else was copied: our work is done.
                    return Ok(());
                }
                Event::SelectionRequest(request) => self.answer(request, &mut transfers),
                Event::PropertyNotify(event) if event.state == Property::DELETE => {
                    self.next_piece(event.window, event.atom, &mut transfers)
                }
                _ => Ok(()),
            };
            // A requestor that vanished mid-transfer is no reason to stop serving others.
            if sent.is_err() {
                transfers.clear();
            }
        }
    }

    fn answer(
        &self,
        request: SelectionRequestEvent,
        transfers: &mut HashMap<(Window, Atom), Incremental>,
    ) -> Result<(), x11rb::errors::ConnectionError> {
        // Obsolete requestors name no property: the target is the property.
        let property = if request.property == x11rb::NONE {
            request.target
        } else {
            request.property
        };
        let (window, conn) = (request.requestor, self.conn);
        let served = if request.selection != self.atoms.CLIPBOARD {
            false
        } else if request.target == self.atoms.TARGETS {
            let targets = [self.atoms.TARGETS, self.atoms.TIMESTAMP, self.mime];
            conn.change_property32(
                PropMode::REPLACE,
                window,
                property,
                AtomEnum::ATOM,
                &targets,
            )?;
            true
        } else if request.target == self.atoms.TIMESTAMP {
            conn.change_property32(
                PropMode::REPLACE,
                window,
                property,
                AtomEnum::INTEGER,
                &[self.since],
            )?;
            true
        } else if request.target == self.mime && self.data.len() <= self.single_limit {
            conn.change_property8(PropMode::REPLACE, window, property, self.mime, self.data)?;
            true
        } else if request.target == self.mime {
            let events = ChangeWindowAttributesAux::new().event_mask(EventMask::PROPERTY_CHANGE);
            conn.change_window_attributes(window, &events)?;
            let size = u32::try_from(self.data.len()).unwrap_or(u32::MAX);
            conn.change_property32(
                PropMode::REPLACE,
                window,
                property,
                self.atoms.INCR,
                &[size],
            )?;
            let target = self.mime;
            transfers.insert((window, property), Incremental { target, sent: 0 });
            true
        } else {
            false
        };
        let notify = SelectionNotifyEvent {
            response_type: SELECTION_NOTIFY_EVENT,
            sequence: 0,
            time: request.time,
            requestor: window,
            selection: request.selection,
            target: request.target,
            property: if served { property } else { x11rb::NONE },
        };
        conn.send_event(false, window, EventMask::NO_EVENT, notify)?;
        conn.flush()
    }

    /// The requestor deleted the property: it read the last piece, so send the next;
    /// an empty piece ends the transfer.
    fn next_piece(
        &self,
        window: Window,
        property: Atom,
        transfers: &mut HashMap<(Window, Atom), Incremental>,
    ) -> Result<(), x11rb::errors::ConnectionError> {
        let Some(transfer) = transfers.get_mut(&(window, property)) else {
            return Ok(());
        };
        let end = (transfer.sent + CHUNK_BYTES.min(self.single_limit)).min(self.data.len());
        let piece = &self.data[transfer.sent..end];
        self.conn
            .change_property8(PropMode::REPLACE, window, property, transfer.target, piece)?;
        if piece.is_empty() {
            transfers.remove(&(window, property));
            let events = ChangeWindowAttributesAux::new().event_mask(EventMask::NO_EVENT);
            self.conn.change_window_attributes(window, &events)?;
        } else {
            transfer.sent = end;
        }
        self.conn.flush()
    }
}

/// `journeymap serve-clipboard --type MIME`: reads the data on stdin, takes the
/// clipboard, says `ready` (or `error: ...`) in one line on stdout, serves until
/// something else is copied.
pub fn serve_stdin(mime: &str) -> Result<(), String> {
    let mut data = Vec::new();
    let read = std::io::Read::read_to_end(&mut std::io::stdin(), &mut data)
        .map_err(|err| format!("cannot read the data to copy: {err}"));
    let served = read.and_then(|_| {
        serve(mime, &data, || {
            let mut out = std::io::stdout();
            let _ = writeln!(out, "ready");
            let _ = out.flush();
        })
    });
    if let Err(err) = &served {
        // The parent reads this line; if it already went, the error has no one to tell.
        let _ = writeln!(std::io::stdout(), "error: {err}");
    }
    served
}
