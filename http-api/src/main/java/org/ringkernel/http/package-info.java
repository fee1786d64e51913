package org.ringkernel.http;
