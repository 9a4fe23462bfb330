
ö
hello.proto"H
HelloRequest
	firstName (	R	firstName
lastName (	RlastName"+
HelloResponse
greeting (	Rgreeting26
HelloService&
hello.HelloRequest.HelloResponseB0
,org.springframework.cloud.gateway.tests.grpcPbproto3