//! The one way a call reaches the cluster: the request encoded with its message type, sent as
//! bytes through tonic's gRPC-Web client, the answer decoded with its own. Only the encoding
//! and decoding are per message type; tonic's call machinery is compiled once into the wasm,
//! not once per method as generated client stubs would compile it.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use prost::bytes::{Buf, BufMut};
use prost::Message;
use tonic::client::Grpc;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::{Request, Status, Streaming};

use super::transport::Transport;
use super::Sdk;
use crate::logic::as_code::Call;
use crate::proto::{Method, StreamMethod};

/// A unary call under way: its answer's bytes.
type Unary = Pin<Box<dyn Future<Output = Result<Vec<u8>, Status>>>>;

impl Sdk {
    /// Calls a unary rpc with this connection's deadline and token. The request is encoded at
    /// once and the call itself is one boxed future, so a call site holds no copy of it.
    pub fn call<Q: Message, A: Message + Default>(
        &self,
        method: Method<Q, A>,
        message: Q,
    ) -> impl Future<Output = Result<A, Status>> + 'static {
        let answer = self.unary(method.path, self.request(message.encode_to_vec()));
        async move { decode(method.path, &answer.await?) }
    }

    /// Sends a call as its "Show as code" shows it (`logic::as_code::Call`): what runs is what
    /// the form showed, byte for byte. For calls whose answer the console does not read.
    pub async fn run(&self, call: Call) -> Result<(), Status> {
        let path = PathAndQuery::try_from(call.path)
            .map_err(|e| Status::internal(format!("unusable method path ({e})")))?;
        self.send(path, self.request(call.request)).await?;
        Ok(())
    }

    fn unary(&self, path: &'static str, request: Request<Vec<u8>>) -> Unary {
        let sdk = self.clone();
        Box::pin(async move { sdk.send(PathAndQuery::from_static(path), request).await })
    }

    async fn send(&self, path: PathAndQuery, request: Request<Vec<u8>>) -> Result<Vec<u8>, Status> {
        let mut grpc = grpc(self.channel());
        grpc.ready()
            .await
            .map_err(|e| Status::unavailable(e.to_string()))?;
        let answer = grpc.unary(request, path, Bytes).await.inspect_err(ended)?;
        Ok(answer.into_inner())
    }

    /// Calls an rpc that answers with a stream, within this connection's deadline (a listing
    /// sent in parts).
    pub async fn stream<Q: Message, A: Message + Default>(
        &self,
        method: StreamMethod<Q, A>,
        message: Q,
    ) -> Result<Answers<A>, Status> {
        let request = self.request(message.encode_to_vec());
        self.streaming(method, request, self.channel()).await
    }

    /// Opens a stream that stays open until either side ends it (no deadline).
    pub async fn follow<Q: Message, A: Message + Default>(
        &self,
        method: StreamMethod<Q, A>,
        message: Q,
    ) -> Result<Answers<A>, Status> {
        let request = self.stream_request(message.encode_to_vec());
        self.streaming(method, request, self.stream_channel()).await
    }

    async fn streaming<Q, A>(
        &self,
        method: StreamMethod<Q, A>,
        request: Request<Vec<u8>>,
        transport: Transport,
    ) -> Result<Answers<A>, Status> {
        // The same three lines as in `send`, on purpose: an async helper shared by both cost the
        // wasm about 500 B (brotli), more than the app's size budget had to spare.
        let mut grpc = grpc(transport);
        grpc.ready()
            .await
            .map_err(|e| Status::unavailable(e.to_string()))?;
        let path = PathAndQuery::from_static(method.path);
        let stream = grpc
            .server_streaming(request, path, Bytes)
            .await
            .inspect_err(ended)?;
        Ok(Answers {
            path: method.path,
            stream: stream.into_inner(),
            types: PhantomData,
        })
    }
}

/// Answers may be far larger than tonic's default 4 MiB: a listing of every volume, where the
/// endpoint has no view service, is about 240 bytes a volume.
const ANSWER_LIMIT: usize = 512 << 20;

/// A single sign-on session that console-server could no longer refresh: the user signs in
/// again and comes back to this screen.
fn ended(status: &Status) {
    if status.code() == tonic::Code::Unauthenticated
        && crate::logic::session::is_session_end(status.message())
    {
        crate::browser::cluster::back_to_sign_in();
    }
}

fn grpc(transport: Transport) -> Grpc<Transport> {
    Grpc::new(transport).max_decoding_message_size(ANSWER_LIMIT)
}

/// The messages of an open stream, in order.
pub struct Answers<A> {
    path: &'static str,
    stream: Streaming<Vec<u8>>,
    types: PhantomData<fn() -> A>,
}

impl<A: Message + Default> Answers<A> {
    /// The next message; `None` when the stream ended.
    pub async fn message(&mut self) -> Result<Option<A>, Status> {
        match self.stream.message().await? {
            Some(bytes) => decode(self.path, &bytes).map(Some),
            None => Ok(None),
        }
    }
}

fn decode<A: Message + Default>(path: &str, bytes: &[u8]) -> Result<A, Status> {
    A::decode(bytes).map_err(|e| Status::internal(format!("{path}: unreadable answer ({e})")))
}

/// Messages as they are on the wire: the codec copies bytes, the types above encode them.
#[derive(Debug, Clone, Copy, Default)]
struct Bytes;

impl Codec for Bytes {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = Bytes;
    type Decoder = Bytes;

    fn encoder(&mut self) -> Bytes {
        Bytes
    }

    fn decoder(&mut self) -> Bytes {
        Bytes
    }
}

impl Encoder for Bytes {
    type Item = Vec<u8>;
    type Error = Status;

    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for Bytes {
    type Item = Vec<u8>;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        let mut message = vec![0; src.remaining()];
        src.copy_to_slice(&mut message);
        Ok(Some(message))
    }
}
